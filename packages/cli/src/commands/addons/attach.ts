import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';
import { describeChange } from './change.js';

export const registerAddonsAttach: Registrar = (program, context) => {
  appCommand(program, 'addons:attach', 'attach an existing add-on, or any resource by URL (`url URL --as NAME`): a new release')
    .argument('<addon>', 'add-on name, or `url` to attach a URL')
    .argument('[url]', 'with `url`: the resource URL, e.g. smtp://user:pass@mail.example.com:587')
    .option('--as <name>', 'the config var to set')
    .option('--dry-run', 'print the release it would make and what would start and stop; change nothing (not with `url`)')
    .option('--json', 'print JSON')
    .action(async (addon: string, url: string | undefined, options: AppOptions & { as?: string; dryRun?: boolean }) => {
      const app = requireAppName(options);
      const client = context.client();
      let change;
      if (addon === 'url') {
        if (options.dryRun) throw new DozenError('CLI_USAGE', '`addons:attach url` provisions a url add-on: it has no --dry-run.', { hint: 'Run it without --dry-run; `dozen addons:detach NAME` takes it back.' });
        if (!url) throw new DozenError('ADDON_URL_INVALID', 'No URL given.', { hint: 'Run `dozen addons:attach url URL --as NAME -a APP`.' });
        change = await client.call('createAddon', { params: { app }, body: { provider: 'url', url, ...(options.as ? { as: options.as } : {}) } });
      } else {
        if (url) throw new DozenError('CLI_USAGE', `Unexpected argument ${JSON.stringify(url)}: only \`addons:attach url URL\` takes a URL.`);
        change = await client.call('attachAddon', { params: { app }, body: { addon, ...(options.as ? { as: options.as } : {}) }, ...dryRun(options) });
      }
      if (options.json) return printJson(change);
      if ('dryRun' in change) return printReleasePlan(change, `Attaching ${addon} to ${app}`);
      print(describeChange(app, change));
    });
};
