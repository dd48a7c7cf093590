import type { Addon } from '@dozen/contracts';
import type { Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAddonsList: Registrar = (program, context) => {
  program
    .command('addons')
    .description('list add-ons: those of one app (-a), or all')
    .option('-a, --app <name>', 'only the add-ons this app owns or has attached')
    .option('--json', 'print JSON')
    .action(async (options: { app?: string; json?: boolean }) => {
      const client = context.client();
      const addons = options.app ? await client.call('listAddons', { params: { app: options.app } }) : await client.call('listAllAddons', {});
      if (options.json) return printJson(addons);
      if (addons.length === 0) return print(`No add-ons${options.app ? ` for ${options.app}` : ''}. Create one with \`dozen addons:create postgres -a APP\`.`);
      print(`=== Add-ons${options.app ? ` of ${options.app}` : ''}`);
      print(table([['Add-on', 'Plan', 'Owner', 'Attached as'], ...addons.map(row)]));
    });
};

function row(addon: Addon): string[] {
  const attachments = addon.attachments.map((a) => `${a.app}::${a.name}`).join(', ') || '(not attached)';
  return [addon.name, `${addon.provider}:${addon.plan}`, addon.app, attachments];
}
