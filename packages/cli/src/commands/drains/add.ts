import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerDrainsAdd: Registrar = (program, context) => {
  appCommand(program, 'drains:add', 'forward the log stream to syslog://, syslog+tls:// or https:// URL')
    .argument('<url>', 'syslog://host:port, syslog+tls://host:port or https://[user:password@]host/path')
    .option('--json', 'print JSON')
    .action(async (url: string, options: AppOptions) => {
      const app = requireAppName(options);
      const drain = await context.client().call('addDrain', { params: { app }, body: { url } });
      if (options.json) return printJson(drain);
      print(`Added drain ${drain.url} (${drain.id}) to ${app}.`);
    });
};
