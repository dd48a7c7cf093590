import type { HttpsSettings } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerHttpsShow: Registrar = (program, context) => {
  appCommand(program, 'https', 'show how the app\'s plain HTTP requests are treated (http or redirect) and its HSTS header')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const settings = await context.client().call('getHttps', { params: { app } });
      if (options.json) return printJson(settings);
      printHttps(app, settings);
    });
};

export function printHttps(app: string, settings: HttpsSettings): void {
  print(`=== ${app} HTTPS`);
  print(`Mode: ${settings.mode === 'redirect' ? 'redirect (plain HTTP gets a 308 to https://)' : 'http (served over plain HTTP and HTTPS)'}`);
  print(`HSTS: ${settings.hstsMaxAge === null ? 'off' : `max-age=${settings.hstsMaxAge}`}`);
  print('(*.localhost names are never redirected and never get HSTS.)');
}
