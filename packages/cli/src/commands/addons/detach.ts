import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';

export const registerAddonsDetach: Registrar = (program, context) => {
  appCommand(program, 'addons:detach', 'remove an attachment and its config var from the app (the add-on stays): a new release')
    .argument('<name>', 'the attachment name, e.g. DATABASE_URL')
    .option('--dry-run', 'print the release it would make and what would start and stop; change nothing')
    .option('--json', 'print JSON')
    .action(async (name: string, options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const change = await context.client().call('detachAddon', { params: { app, name }, ...dryRun(options) });
      if (options.json) return printJson(change);
      if ('dryRun' in change) return printReleasePlan(change, `Detaching ${name} from ${app}`);
      print(`Detached ${change.addon.name} (${name}) from ${app}; ${change.release ? `released v${change.release.version}` : 'no new release'}.`);
    });
};
