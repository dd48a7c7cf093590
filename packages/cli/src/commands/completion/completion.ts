import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import { completionScript, SHELLS, type Shell } from './completion-script.js';

/** `dozen completion bash|zsh`; `commands` are the program's command names (program.ts passes them in). */
export function registerCompletion(commands: readonly string[]): Registrar {
  return (program) => {
    program
      .command('completion')
      .description('print a shell completion script (commands, and app names after -a): eval "$(dozen completion bash)"')
      .argument('<shell>', SHELLS.join(' or '))
      .action((shell: string) => {
        if (!(SHELLS as readonly string[]).includes(shell)) throw new DozenError('CLI_USAGE', `No completion for ${JSON.stringify(shell)}.`, { hint: `Use one of: ${SHELLS.join(', ')}.` });
        process.stdout.write(completionScript(shell as Shell, commands));
      });
  };
}

/** The app names, one a line, for completion; prints nothing (and exits 0) when the platform cannot say (not logged in, not running). */
export const registerCompletionApps: Registrar = (program, context) => {
  program
    .command('completion:apps', { hidden: true })
    .description('app names for shell completion, one a line (nothing when not logged in)')
    .action(async () => {
      try {
        const apps = await context.client().call('listApps', {});
        process.stdout.write(apps.map((app) => `${app.name}\n`).join(''));
      } catch {
        // Quietly nothing: a completion must not print errors into the command line.
      }
    });
};
