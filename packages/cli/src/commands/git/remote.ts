import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { credentialHelperCommand } from '../../helper-command.js';
import { print } from '../../output.js';
import { assertWorkTree, git, runGit } from '../../run-git.js';

const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Adds (or points) a git remote at the app's repository, and makes `dozen git:credential` the
 * only credential helper for the platform's URL in this repository: git then gets the token
 * from Dozen when it asks, and it is never written into the remote URL or printed.
 */
export const registerGitRemote: Registrar = (program, context) => {
  appCommand(program, 'git:remote', "add a git remote for the app to the repository here (push with `git push dozen main`)", { fromDirectory: false })
    .option('-r, --remote <name>', 'the name of the remote', 'dozen')
    .action(async (options: AppOptions & { remote: string }) => {
      const app = requireAppName(options);
      const remote = options.remote;
      if (!REMOTE_NAME.test(remote)) {
        throw new DozenError('CLI_USAGE', `${JSON.stringify(remote)} is not a usable remote name.`, { hint: 'Use letters, digits, `.`, `_` and `-`, beginning with a letter or digit, e.g. -r dozen.' });
      }
      const cwd = process.cwd();
      await assertWorkTree(cwd);
      const info = await context.client().call('getGit', { params: { app } });
      const url = `${context.apiUrl}${info.path}`;
      const exists = (await runGit(['remote', 'get-url', '--', remote], cwd)).code === 0;
      await git(['remote', exists ? 'set-url' : 'add', '--', remote, url], cwd);
      const helper = credentialHelperCommand(context.apiUrl);
      await useCredentialHelper(cwd, context.apiUrl, helper.command);
      print(`Git remote ${remote} ${exists ? 'now points' : 'added'}: ${url}`);
      if (helper.note) print(` !    ${helper.note}`);
      print(`Deploy with \`git push ${remote} ${info.deployBranches[0] ?? 'main'}\` (pushes to ${info.deployBranches.join(' or ')} deploy).`);
    });
};

/** credential.<API URL>.helper: an empty value first drops helpers set elsewhere for this URL. */
async function useCredentialHelper(cwd: string, apiUrl: string, command: string[]): Promise<void> {
  const key = `credential.${apiUrl}.helper`;
  const unset = await runGit(['config', '--local', '--unset-all', key], cwd);
  // Exit 5: the key was not set, which is fine.
  if (unset.code !== 0 && unset.code !== 5) throw new DozenError('GIT_COMMAND_FAILED', `git config failed: ${unset.stderr.trim()}`);
  await git(['config', '--local', '--add', key, ''], cwd);
  await git(['config', '--local', '--add', key, `!${command.map(shellQuote).join(' ')}`], cwd);
}

/** git runs credential helpers through the shell: each word is single-quoted. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}
