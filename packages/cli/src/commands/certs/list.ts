import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerCertsList: Registrar = (program, context) => {
  appCommand(program, 'certs', 'list the app\'s certificates and the domains each serves')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const certificates = await context.client().call('listCerts', { params: { app } });
      if (options.json) return printJson(certificates);
      if (certificates.length === 0) return print(`${app} has no certificates. Add one with \`dozen certs:add CERT.pem KEY.pem -a ${app}\`.`);
      print(table([['Name', 'Serves', 'Expires', 'Issuer'], ...certificates.map((c) => [c.name, c.domains.join(', ') || '-', c.notAfter, c.issuer])]));
    });
};
