import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerDomainsList: Registrar = (program, context) => {
  appCommand(program, 'domains', 'list the custom domains routed to an app')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const [info, domains] = await Promise.all([context.client().call('getApp', { params: { app } }), context.client().call('listDomains', { params: { app } })]);
      if (options.json) return printJson(domains);
      print(`=== ${app} web URL`);
      print(info.webUrl);
      print();
      if (domains.length === 0) return print(`${app} has no custom domains. Add one with \`dozen domains:add www.example.com -a ${app}\`.`);
      print(`=== ${app} custom domains`);
      print(table(domains.map((d) => [d.hostname, d.kind, ago(d.createdAt)])));
    });
};
