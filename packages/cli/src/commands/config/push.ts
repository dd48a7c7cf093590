import { readFile } from 'node:fs/promises';
import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { diffEnv, parseEnvFile } from '../../env-file.js';
import { print } from '../../output.js';
import { releaseEnvDiff } from './env-release.js';

interface PushOptions extends AppOptions {
  file: string;
  dryRun?: boolean;
}

export const registerConfigPush: Registrar = (program, context) => {
  appCommand(program, 'config:push', "set the app's config vars from a .env file: one release with what differs")
    .option('-f, --file <file>', 'the .env file', '.env')
    .option('--dry-run', 'print what would change and the release it would make; change nothing')
    .option('--json', 'print JSON')
    .action(async (options: PushOptions) => {
      const app = requireAppName(options);
      let text: string;
      try {
        text = await readFile(options.file, 'utf8');
      } catch (error) {
        throw new DozenError('ENV_FILE_INVALID', `Cannot read ${options.file}: ${(error as Error).message}.`, { hint: 'Name the file with --file FILE.' });
      }
      const { vars, reserved } = withoutReserved(parseEnvFile(text, options.file));
      if (reserved.length > 0) print(`Not pushed: ${reserved.join(', ')} (set by the platform for every process).`);
      const current = await context.client().call('getConfig', { params: { app } });
      // Keys the file does not have stay as they are (Heroku's config:push); `config:unset` removes them.
      const diff = { set: diffEnv(current, vars).set, unset: [] };
      await releaseEnvDiff(context, app, current, diff, options, `Pushing ${options.file}`);
    });
};

/** PORT and DOZEN_* are the platform's own (CONFIG_KEY_RESERVED): a local .env often has them, they are left out. */
function withoutReserved(all: Record<string, string>): { vars: Record<string, string>; reserved: string[] } {
  const isReserved = (key: string) => key === 'PORT' || key.startsWith('DOZEN_');
  return { vars: Object.fromEntries(Object.entries(all).filter(([key]) => !isReserved(key))), reserved: Object.keys(all).filter(isReserved).sort() };
}
