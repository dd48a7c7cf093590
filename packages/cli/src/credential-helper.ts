/**
 * `dozen git:credential`, git's credential helper (git-credential(1)), as set up by `dozen
 * git:remote`: `get` answers the token as the password, only for the platform it was set up for;
 * `store` and `erase` change nothing (the token belongs to `dozen login`). git runs it twice per
 * push, so bin/dozen.js starts it without loading the rest of the CLI: it is a program of its own
 * and reads its environment itself.
 */
import { asksForPlatform, credentialAnswer, readCredentialRequest } from './credential-protocol.js';
import { tokenForApiUrl } from './token-source.js';

export async function answerGit(action: string, apiUrl: string): Promise<void> {
  const request = await readCredentialRequest(process.stdin);
  if (action !== 'get') return;
  const answer = credentialAnswer(request, apiUrl, (url) => tokenForApiUrl(process.env, url));
  if (answer) process.stdout.write(answer);
  // git would only say "could not read Username": say what is missing, on stderr, which git shows.
  else if (asksForPlatform(request, apiUrl)) process.stderr.write(noTokenMessage(apiUrl));
}

export function noTokenMessage(apiUrl: string): string {
  return ` !    dozen has no API token for ${apiUrl}.\n !    Run \`dozen login\` (with DOZEN_API_URL=${apiUrl}), or set DOZEN_API_TOKEN and DOZEN_API_URL for git.\n`;
}

/** The fast path from bin/dozen.js: `git:credential [--api-url URL | --api-url=URL] [get|store|erase]`. */
export async function runCredentialHelper(args: string[]): Promise<number> {
  let apiUrl: string | undefined;
  let action = 'get';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--api-url') apiUrl = args[++i];
    else if (arg.startsWith('--api-url=')) apiUrl = arg.slice('--api-url='.length);
    else action = arg;
  }
  if (!apiUrl) {
    process.stderr.write(' !    git:credential needs --api-url URL (`dozen git:remote` sets it up).\n');
    return 2;
  }
  await answerGit(action, apiUrl);
  return 0;
}
