import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { printJson } from '../../output.js';
import { certName, printCertificate } from './cert-files.js';

export const registerCertsInfo: Registrar = (program, context) => {
  appCommand(program, 'certs:info', 'show a certificate: the domains it serves, its names, issuer and dates')
    .option('--name <name>', 'the certificate (`dozen certs` lists them); not needed when the app has one')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { name?: string }) => {
      const app = requireAppName(options);
      const cert = await certName(context.client(), app, options.name);
      const certificate = await context.client().call('getCert', { params: { app, cert } });
      if (options.json) return printJson(certificate);
      printCertificate(certificate);
    });
};
