import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';

export const registerConfigSet: Registrar = (program, context) => {
  appCommand(program, 'config:set', 'set config vars; makes a new release')
    .argument('<pairs...>', 'KEY=value pairs')
    .option('--dry-run', 'print the release it would make and what would start and stop; change nothing')
    .option('--json', 'print JSON')
    .action(async (pairs: string[], options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const changes: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new DozenError('CLI_USAGE', `${JSON.stringify(pair)} is not KEY=value.`, { hint: 'Run `dozen config:set KEY=value [KEY2=value2 ...] -a APP`.' });
        changes[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const result = await context.client().call('updateConfig', { params: { app }, body: changes, ...dryRun(options) });
      if (options.json) return printJson(result);
      if ('dryRun' in result) return printReleasePlan(result, `Setting ${Object.keys(changes).join(', ')} on ${app}`);
      const keys = Object.keys(changes).join(', ');
      print(result.release ? `Set ${keys} and released v${result.release.version}.` : `${keys} already had these values: no new release.`);
    });
};
