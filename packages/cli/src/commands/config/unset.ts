import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';

export const registerConfigUnset: Registrar = (program, context) => {
  appCommand(program, 'config:unset', 'unset config vars; makes a new release')
    .argument('<keys...>', 'the config vars to remove')
    .option('--dry-run', 'print the release it would make and what would start and stop; change nothing')
    .option('--json', 'print JSON')
    .action(async (keys: string[], options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const body = Object.fromEntries(keys.map((key) => [key, null]));
      const result = await context.client().call('updateConfig', { params: { app }, body, ...dryRun(options) });
      if (options.json) return printJson(result);
      if ('dryRun' in result) return printReleasePlan(result, `Unsetting ${keys.join(', ')} on ${app}`);
      print(result.release ? `Unset ${keys.join(', ')} and released v${result.release.version}.` : `${keys.join(', ')} were not set: no new release.`);
    });
};
