import type { Registrar } from '../../command-kit.js';
import { readCredentialRequest, credentialAnswer } from '../../credential-protocol.js';

/**
 * git's credential helper protocol (git-credential(1)), as configured by `dozen git:remote`:
 * `get` answers the token as the password, only for the host of the platform it was set up
 * for; `store` and `erase` change nothing (the token belongs to `dozen login`).
 */
export const registerGitCredential: Registrar = (program, context) => {
  program
    .command('git:credential')
    .description('git credential helper (set up by git:remote): gives git the token for the platform, and only to it')
    .argument('[action]', 'get, store or erase (from git)', 'get')
    .requiredOption('--api-url <url>', 'the platform this helper answers for')
    .action(async (action: string, options: { apiUrl: string }) => {
      const request = await readCredentialRequest(process.stdin);
      if (action !== 'get') return;
      const answer = credentialAnswer(request, options.apiUrl, (url) => context.tokenFor(url));
      if (answer) process.stdout.write(answer);
    });
};
