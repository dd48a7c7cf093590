import { readFile, writeFile } from 'node:fs/promises';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { formatEnvFile, parseEnvFile } from '../../env-file.js';
import { print } from '../../output.js';
import { readLine } from '../../secret-prompt.js';

interface PullOptions extends AppOptions {
  file: string;
  overwrite?: boolean;
  yes?: boolean;
}

export const registerConfigPull: Registrar = (program, context) => {
  appCommand(program, 'config:pull', "write the app's config vars into a .env file (asks first: they are secrets)")
    .option('-f, --file <file>', 'the .env file', '.env')
    .option('-o, --overwrite', 'replace values the file already has (default: keep them)')
    .option('-y, --yes', 'do not ask before writing secrets to disk')
    .action(async (options: PullOptions) => {
      const app = requireAppName(options);
      const local = await readLocal(options.file);
      const remote = await context.client().call('getConfig', { params: { app } });
      const merged = options.overwrite ? { ...local, ...remote } : { ...remote, ...local };
      const kept = Object.keys(remote).filter((key) => !options.overwrite && Object.hasOwn(local, key) && local[key] !== remote[key]);
      if (!options.yes) {
        const answer = await readLine(`Write ${Object.keys(remote).length} config vars of ${app} (secrets) to ${options.file}? [y/N] `, context.stdinIsTty);
        if (!/^y(es)?$/i.test(answer)) return print(`Nothing written to ${options.file}.`);
      }
      // 0600: the file holds the app's secrets (an existing file keeps its mode).
      await writeFile(options.file, formatEnvFile(merged), { mode: 0o600 });
      print(`Wrote ${Object.keys(merged).length} vars to ${options.file}${kept.length > 0 ? ` (kept the local values of ${kept.sort().join(', ')}; --overwrite replaces them)` : ''}.`);
    });
};

/** The file's vars (parsed whole first: a bad line stops the pull), or none when it does not exist. */
export async function readLocal(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseEnvFile(text, file);
}
