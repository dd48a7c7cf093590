import type { AcmStatus } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

type Call = 'getAcm' | 'enableAcm' | 'disableAcm' | 'refreshAcm';

/** `certs:auto`, `certs:auto:enable`, `certs:auto:disable`, `certs:auto:refresh`: one shape, one table. */
function acmCommand(name: string, description: string, call: Call, done: (app: string) => string): Registrar {
  return (program, context) => {
    appCommand(program, name, description)
      .option('--json', 'print JSON')
      .action(async (options: AppOptions) => {
        const app = requireAppName(options);
        const status = await context.client().call(call, { params: { app } });
        if (options.json) return printJson(status);
        const line = done(app);
        if (line !== '') print(line);
        printAcm(app, status);
      });
  };
}

function printAcm(app: string, status: AcmStatus): void {
  print(`=== Automatic certificates of ${app}: ${status.enabled ? 'enabled' : 'disabled'}`);
  if (status.domains.length === 0) return print(status.enabled ? `${app} has no custom domains yet; each one added gets a certificate.` : '');
  print(table([['Domain', 'Status', 'Next order'], ...status.domains.map((d) => [d.hostname, d.state === 'failing' ? `failing: ${d.reason ?? ''}` : d.state, d.nextAt.startsWith('9999') ? '-' : d.nextAt])]));
}

export const registerCertsAuto = acmCommand('certs:auto', 'show automatic certificates: each domain issued, pending or failing (and why), and its next renewal', 'getAcm', () => '');
export const registerCertsAutoEnable = acmCommand('certs:auto:enable', 'obtain and renew a certificate for every custom domain of the app with ACME (Let\'s Encrypt by default)', 'enableAcm', (app) => `Automatic certificates enabled for ${app}: each custom domain is ordered now, \`dozen certs:auto -a ${app}\` shows how it goes.`);
export const registerCertsAutoDisable = acmCommand('certs:auto:disable', 'stop automatic certificates (the issued ones are removed; manual ones stay)', 'disableAcm', (app) => `Automatic certificates disabled for ${app}.`);
export const registerCertsAutoRefresh = acmCommand('certs:auto:refresh', 'order every domain\'s certificate again now', 'refreshAcm', (app) => `Ordering the certificates of ${app} again.`);
