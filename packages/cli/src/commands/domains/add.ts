import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerDomainsAdd: Registrar = (program, context) => {
  appCommand(program, 'domains:add', 'route a custom domain (www.example.com, or *.example.com) to an app')
    .argument('<hostname>', 'the domain, lowercase')
    .option('--json', 'print JSON')
    .action(async (hostname: string, options: AppOptions) => {
      const app = requireAppName(options);
      const domain = await context.client().call('addDomain', { params: { app }, body: { hostname } });
      if (options.json) return printJson(domain);
      print(`Added ${domain.hostname} to ${app}. Point its DNS at this platform's router; requests for it now reach ${app}.`);
    });
};
