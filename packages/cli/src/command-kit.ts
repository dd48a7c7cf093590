import type { Command } from 'commander';
import { DozenError } from '@dozen/contracts/errors';
import { appOfRemotes, parseRemotes } from './app-from-directory.js';
import type { CliContext } from './context.js';
import { runGit } from './run-git.js';

export interface AppOptions {
  app?: string;
  json?: boolean;
}

/** Why the app could not be taken from the directory, kept (out of sight) on the options for requireAppName. */
const NO_APP = Symbol('no app from the directory');
const FROM_DIRECTORY = new WeakSet<Command>();

/**
 * A `topic:verb` command with the shared `-a/--app` option. Unless `fromDirectory` is false, a
 * command run without -a takes the app from DOZEN_APP, else from the git remote `dozen` (or
 * `-r REMOTE`) of the current repository, like the Heroku CLI (appFromDirectory).
 */
export function appCommand(program: Command, name: string, description: string, options: { fromDirectory?: boolean } = {}): Command {
  const command = program.command(name).description(description).option('-a, --app <name>', 'the app to act on (default: DOZEN_APP, else the `dozen` git remote here)');
  if (options.fromDirectory === false) return command;
  FROM_DIRECTORY.add(command);
  return command.option('-r, --remote <remote>', 'take the app from this git remote of the repository here (default dozen)');
}

/** The program's preAction hook: fills in -a of an appCommand run without it, or keeps why it could not. */
export function appFromDirectory(context: CliContext): (program: Command, command: Command) => Promise<void> {
  return async (_program, command) => {
    if (!FROM_DIRECTORY.has(command)) return;
    const values = command.opts<AppOptions & { remote?: string }>();
    if (values.app !== undefined) return;
    try {
      const app = await appOfDirectory(context, values.remote);
      if (app !== null) command.setOptionValue('app', app);
    } catch (error) {
      Object.defineProperty(values, NO_APP, { value: error, enumerable: false });
    }
  };
}

/** DOZEN_APP, else the app of the git remotes of the working directory (null: none). */
async function appOfDirectory(context: CliContext, remote: string | undefined): Promise<string | null> {
  if (remote === undefined && context.defaultApp) return context.defaultApp;
  let listed;
  try {
    listed = await runGit(['remote', '-v'], process.cwd());
  } catch {
    listed = null;
  }
  // Not a repository, or no git: no remote to take the app from.
  const remotes = listed !== null && listed.code === 0 ? parseRemotes(listed.stdout) : [];
  return appOfRemotes(remotes, context.apiUrl, remote);
}

export function requireAppName(options: AppOptions): string {
  const problem = (options as { [NO_APP]?: unknown })[NO_APP];
  if (problem !== undefined) throw problem;
  if (!options.app) {
    throw new DozenError('CLI_USAGE', 'No app given.', { hint: 'Name the app with -a APP, set DOZEN_APP, or run the command in a repository with a `dozen` git remote (`dozen git:remote -a APP`); `dozen apps` lists the apps.' });
  }
  return options.app;
}

export type Registrar = (program: Command, context: CliContext) => void;
