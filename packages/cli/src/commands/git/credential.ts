import type { Registrar } from '../../command-kit.js';
import { answerGit } from '../../credential-helper.js';

/** Registered for `dozen help` and the docs; git's calls take the fast path in bin/dozen.js. */
export const registerGitCredential: Registrar = (program) => {
  program
    .command('git:credential')
    .description('git credential helper (set up by git:remote): gives git the token for the platform, and only to it')
    .argument('[action]', 'get, store or erase (from git)', 'get')
    .requiredOption('--api-url <url>', 'the platform this helper answers for')
    .action((action: string, options: { apiUrl: string }) => answerGit(action, options.apiUrl));
};
