import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { editorArgv } from '../../editor-command.js';
import { diffEnv, formatEnvFile, parseEnvFile } from '../../env-file.js';
import { releaseEnvDiff } from './env-release.js';

export const registerConfigEdit: Registrar = (program, context) => {
  appCommand(program, 'config:edit', "edit the app's config vars as .env text in $EDITOR: one release with the changes")
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const argv = editorArgv(context.environment);
      const current = await context.client().call('getConfig', { params: { app } });
      // A private directory and a 0600 file: the config holds secrets.
      const dir = await mkdtemp(join(tmpdir(), 'dozen-config-'));
      try {
        const file = join(dir, `${app}.env`);
        await writeFile(file, `# Config vars of ${app}: edit, save and quit to release; remove a line to unset it.\n${formatEnvFile(current)}`, { mode: 0o600 });
        await runEditor(argv, file);
        const edited = parseEnvFile(await readFile(file, 'utf8'), `${app}.env`);
        await releaseEnvDiff(context, app, current, diffEnv(current, edited), options, 'Editing the config');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
};

/** The editor on the file, on this terminal (no shell); a failed editor changes nothing. */
function runEditor(argv: string[], file: string): Promise<void> {
  const [program, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(program as string, [...args, file], { stdio: 'inherit' });
    child.on('error', (error) => reject(new DozenError('EDITOR_FAILED', `The editor ${JSON.stringify(program)} could not start: ${error.message}. Nothing was changed.`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new DozenError('EDITOR_FAILED', `The editor ${JSON.stringify(program)} exited with ${signal ? `signal ${signal}` : `code ${code}`}: nothing was changed.`));
    });
  });
}
