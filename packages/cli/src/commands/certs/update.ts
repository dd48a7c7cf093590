import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { certName, printCertificate, readPemFiles } from './cert-files.js';

export const registerCertsUpdate: Registrar = (program, context) => {
  appCommand(program, 'certs:update', 'replace a certificate (a renewal): new connections get the new one, open ones are not dropped')
    .argument('<cert>', 'the certificate chain file (PEM), the leaf first')
    .argument('<key>', 'the private key file (PEM, unencrypted)')
    .option('--name <name>', 'the certificate (`dozen certs` lists them); not needed when the app has one')
    .option('--json', 'print JSON')
    .action(async (certFile: string, keyFile: string, options: AppOptions & { name?: string }) => {
      const app = requireAppName(options);
      const body = readPemFiles(certFile, keyFile);
      const cert = await certName(context.client(), app, options.name);
      const certificate = await context.client().call('updateCert', { params: { app, cert }, body });
      if (options.json) return printJson(certificate);
      print(`Updated certificate ${certificate.name} of ${app}; it serves ${certificate.domains.join(', ')}.`);
      printCertificate(certificate);
    });
};
