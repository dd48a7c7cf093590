import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAddonsInfo: Registrar = (program, context) => {
  appCommand(program, 'addons:info', 'show an add-on: owner, attachments, and what its provider reports (no credentials)')
    .argument('<addon>', 'add-on name, or attachment name in the app (DATABASE_URL)')
    .option('--json', 'print JSON')
    .action(async (addon: string, options: AppOptions) => {
      const info = await context.client().call('getAddon', { params: { app: requireAppName(options), addon } });
      if (options.json) return printJson(info);
      print(`=== ${info.addon.name}`);
      const attachments = info.addon.attachments.map((a) => `${a.app}::${a.name}`).join(', ') || '(not attached)';
      const details = Object.entries(info.details).map(([key, value]) => [`${key[0]?.toUpperCase()}${key.slice(1)}:`, value]);
      print(table([['Provider:', info.addon.provider], ['Owner:', info.addon.app], ['Attached as:', attachments], ...details, ['Created:', info.addon.createdAt]]));
    });
};
