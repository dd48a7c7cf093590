import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { describeChange } from './change.js';

export const registerAddonsCreate: Registrar = (program, context) => {
  appCommand(program, 'addons:create', 'provision an add-on (postgres, redis) and attach it: a new release')
    .argument('<provider>', 'PROVIDER[:PLAN], e.g. postgres or postgres:standard')
    .option('--as <name>', 'the config var to set (default: DATABASE_URL for postgres, REDIS_URL for redis)')
    .option('--url <url>', 'for the url provider: the URL to attach (or use addons:attach url URL)')
    .option('--json', 'print JSON')
    .action(async (spec: string, options: AppOptions & { as?: string; url?: string }) => {
      const app = requireAppName(options);
      const [provider = '', plan] = spec.split(':', 2);
      const body = { provider, ...(plan ? { plan } : {}), ...(options.as ? { as: options.as } : {}), ...(options.url ? { url: options.url } : {}) };
      process.stderr.write(`Creating ${spec} for ${app}...\n`);
      const change = await context.client().call('createAddon', { params: { app }, body });
      if (options.json) return printJson(change);
      print(`Created ${change.addon.name} (${change.addon.provider}:${change.addon.plan}).`);
      print(describeChange(app, change));
    });
};
