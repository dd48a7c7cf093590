import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerDrainsRemove: Registrar = (program, context) => {
  appCommand(program, 'drains:remove', 'stop and remove a drain, named by its URL or its id')
    .argument('<url-or-id>', 'the URL given to drains:add, or the id shown by `dozen drains`')
    .option('--json', 'print JSON')
    .action(async (target: string, options: AppOptions) => {
      const app = requireAppName(options);
      const drain = await context.client().call('removeDrain', { params: { app, drain: target } });
      if (options.json) return printJson(drain);
      print(`Removed drain ${drain.url} from ${app} (${drain.delivered} delivered, ${drain.dropped} dropped).`);
    });
};
