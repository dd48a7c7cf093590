import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import type { CliContext } from '../../context.js';
import { printCertificate, readPemFiles } from './cert-files.js';

export const registerCertsAdd: Registrar = (program, context) => {
  appCommand(program, 'certs:add', 'add a certificate chain and its private key (PEM) for the app\'s custom domains')
    .argument('<cert>', 'the certificate chain file (PEM), the leaf first')
    .argument('<key>', 'the private key file (PEM, unencrypted)')
    .option('--api', 'for the platform\'s API domain (DOZEN_API_DOMAIN) instead of an app (admins)')
    .option('--json', 'print JSON')
    .action(async (certFile: string, keyFile: string, options: AppOptions & { api?: boolean }) => {
      if (options.api) return addApiCert(context, readPemFiles(certFile, keyFile), options.json === true);
      const app = requireAppName(options);
      const certificate = await context.client().call('addCert', { params: { app }, body: readPemFiles(certFile, keyFile) });
      if (options.json) return printJson(certificate);
      print(`Added certificate ${certificate.name} to ${app}; HTTPS is served now for ${certificate.domains.join(', ')}.`);
      printCertificate(certificate);
    });
};

async function addApiCert(context: CliContext, body: { certificate: string; privateKey: string }, json: boolean): Promise<void> {
  const certificate = await context.client().call('addApiCert', { body });
  if (json) return printJson(certificate);
  print(`Added certificate ${certificate.name} to the API domain; HTTPS is served now for ${certificate.domains.join(', ')}.`);
  printCertificate(certificate);
}
