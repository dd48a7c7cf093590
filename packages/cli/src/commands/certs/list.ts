import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import type { CliContext } from '../../context.js';
import { print, printJson, table } from '../../output.js';

export const registerCertsList: Registrar = (program, context) => {
  appCommand(program, 'certs', 'list the app\'s certificates and the domains each serves')
    .option('--api', 'the platform\'s API domain (DOZEN_API_DOMAIN) instead of an app (admins)')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { api?: boolean }) => {
      if (options.api) return listApiCerts(context, options.json === true);
      const app = requireAppName(options);
      const certificates = await context.client().call('listCerts', { params: { app } });
      if (options.json) return printJson(certificates);
      if (certificates.length === 0) return print(`${app} has no certificates. Add one with \`dozen certs:add CERT.pem KEY.pem -a ${app}\`.`);
      print(table([['Name', 'Serves', 'Expires', 'Issuer'], ...certificates.map((c) => [c.name, c.domains.join(', ') || '-', c.notAfter, c.issuer])]));
    });
};

/** `certs --api`: the API domain, its certificates and, with ACME, its automatic certificate's state. */
async function listApiCerts(context: CliContext, json: boolean): Promise<void> {
  const api = await context.client().call('getApiDomain', {});
  if (json) return printJson(api);
  print(`API domain: ${api.domain}`);
  if (api.certificates.length === 0) print(`No certificate added. Add one with \`dozen certs:add CERT.pem KEY.pem --api\`${api.auto.enabled ? ', or let ACME issue it' : ''}.`);
  else print(table([['Name', 'Source', 'Expires', 'Issuer'], ...api.certificates.map((c) => [c.name, c.source, c.notAfter, c.issuer])]));
  for (const d of api.auto.domains) print(`Automatic certificate for ${d.hostname}: ${d.state === 'failing' ? `failing: ${d.reason ?? ''}` : d.state}; next order ${d.nextAt}`);
}
