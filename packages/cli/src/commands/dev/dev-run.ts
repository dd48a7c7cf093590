import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import { collectEnvFiles, devEnvironment } from './dev-env.js';
import { basePortOf } from './formation.js';

/** `dozen dev:run -- CMD ARGS`: one command here with the env of `dozen dev` (.env, PORT), no shell. */
export const registerDevRun: Registrar = (program, context) => {
  program
    .command('dev:run')
    .description('run one command here with the env of `dozen dev` (.env files, PORT): dozen dev:run -- CMD ARGS...')
    .argument('<command...>', 'the command and its arguments, run as given (no shell)')
    .option('-e, --env <files>', 'env files, repeatable or comma-separated (default .env)', collectEnvFiles)
    .option('-p, --port <port>', 'PORT for it (default $PORT, else 5000)')
    .passThroughOptions()
    .action(async (command: string[], options: { env?: string[]; port?: string }) => {
      const port = basePortOf(options.port, context.environment);
      const env = devEnvironment(context.environment, process.cwd(), options.env, { PORT: String(port) });
      process.exitCode = await runHere(command, env);
    });
};

/** Runs argv with stdio inherited; answers its exit code (128 + n for a signal, as a shell says it). */
function runHere(command: string[], env: Record<string, string>): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined || file === '') throw new DozenError('CLI_USAGE', 'No command given.', { hint: 'Give it after --: dozen dev:run -- node script.js' });
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', env });
    // Ctrl-C reaches the child from the terminal; a SIGTERM to the CLI is passed on.
    const onInt = () => undefined;
    const onTerm = () => child.kill('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (error) => {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(missing ? new DozenError('CLI_USAGE', `${JSON.stringify(file)} was not found (PATH, or the path given).`, { hint: 'Check the command name; it runs without a shell.' }) : error);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
