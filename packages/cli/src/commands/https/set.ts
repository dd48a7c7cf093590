import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { printJson } from '../../output.js';
import { printHttps } from './show.js';

export const registerHttpsSet: Registrar = (program, context) => {
  appCommand(program, 'https:set', 'redirect plain HTTP to HTTPS (--mode redirect) or not (--mode http), and set the HSTS max-age')
    .option('--mode <mode>', 'http (the default) or redirect (308 to https:// with the same path and query)')
    .option('--hsts <seconds|off>', 'send Strict-Transport-Security: max-age=SECONDS on HTTPS responses, or off')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { mode?: string; hsts?: string }) => {
      const app = requireAppName(options);
      if (options.mode === undefined && options.hsts === undefined) throw new DozenError('CLI_USAGE', 'Nothing to set.', { hint: 'Give --mode http|redirect and/or --hsts SECONDS|off.' });
      const body: { mode?: string; hstsMaxAge?: number | null } = {};
      if (options.mode !== undefined) body.mode = options.mode;
      if (options.hsts !== undefined) body.hstsMaxAge = hstsValue(options.hsts);
      const settings = await context.client().call('updateHttps', { params: { app }, body });
      if (options.json) return printJson(settings);
      printHttps(app, settings);
    });
};

function hstsValue(text: string): number | null {
  if (text === 'off') return null;
  if (!/^\d{1,9}$/.test(text)) throw new DozenError('HTTPS_SETTINGS_INVALID', `--hsts ${JSON.stringify(text)} is neither a number of seconds nor off.`);
  return Number(text);
}
