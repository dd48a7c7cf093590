import type { Command } from 'commander';
import { DozenError } from '@dozen/contracts/errors';
import type { CliContext } from './context.js';

export interface AppOptions {
  app?: string;
  json?: boolean;
}

/** A `topic:verb` command with the shared `-a/--app` option. */
export function appCommand(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).option('-a, --app <name>', 'the app to act on');
}

export function requireAppName(options: AppOptions): string {
  if (!options.app) throw new DozenError('CLI_USAGE', 'No app given.', { hint: 'Name the app with -a APP (see `dozen apps` for the list).' });
  return options.app;
}

export type Registrar = (program: Command, context: CliContext) => void;
