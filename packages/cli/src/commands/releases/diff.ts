import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

/** `dozen releases:diff vN [vM]`: what changed between two releases (config by key names only). */
export const registerReleasesDiff: Registrar = (program, context) => {
  appCommand(program, 'releases:diff', 'what changed between two releases (config keys by name only, add-ons, slug, build, commit); the second one defaults to the current release')
    .argument('<from>', 'a release (v3 or 3)')
    .argument('[to]', 'another release (default: the current one)')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string | undefined, options: AppOptions & { json?: boolean }) => {
      const app = requireAppName(options);
      const query = { from: version(from), ...(to === undefined ? {} : { to: version(to) }) };
      const diff = await context.client().call('diffReleases', { params: { app }, query });
      if (options.json) return printJson(diff);
      print(`=== ${app}: v${diff.from} -> v${diff.to}`);
      const lines = [
        ...diff.config.added.map((key) => `+ ${key}`),
        ...diff.config.removed.map((key) => `- ${key}`),
        ...diff.config.changed.map((key) => `~ ${key} (value changed)`),
        ...diff.addons.attached.map((name) => `+ ${name} (add-on attached)`),
        ...diff.addons.detached.map((name) => `- ${name} (add-on detached)`),
      ];
      for (const [what, change] of [['slug', diff.slug], ['build', diff.build], ['commit', diff.commit]] as const) {
        if (change) lines.push(`~ ${what}: ${change.from ?? 'none'} -> ${change.to ?? 'none'}`);
      }
      print(lines.length === 0 ? 'No changes.' : lines.join('\n'));
    });
};

function version(text: string): number {
  const match = /^v?(\d{1,9})$/.exec(text);
  if (!match) throw new DozenError('INVALID_REQUEST', `${JSON.stringify(text)} is not a release: give a version such as v3 or 3.`, { hint: 'Run `dozen releases -a APP` to list them.' });
  return Number(match[1]);
}
