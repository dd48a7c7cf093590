import { DozenError } from '@dozen/contracts/errors';
import type { ScorecardPolicy } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

function show(policy: ScorecardPolicy): void {
  if (policy.required.length === 0) return print(`${policy.app} requires no scorecard check: every deploy releases whatever it scores.`);
  print(`${policy.app} requires ${policy.required.join(', ')}: a deploy failing one of ${policy.checks.join(', ')} stops before it releases.`);
}

export const registerScorecard: Registrar = (program, context) => {
  appCommand(program, 'scorecard', 'the scorecard checks the app\'s deploys must pass')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const policy = await context.client().call('getScorecardPolicy', { params: { app: requireAppName(options) } });
      return options.json ? printJson(policy) : show(policy);
    });
};

export const registerScorecardRequire: Registrar = (program, context) => {
  appCommand(program, 'scorecard:require', 'require factors or checks to pass before a deploy releases (III,XI or check ids)')
    .argument('[checks]', 'comma-separated factors (I to XII) or check ids')
    .option('--none', 'require nothing')
    .option('--json', 'print JSON')
    .action(async (checks: string | undefined, options: AppOptions & { none?: boolean }) => {
      const app = requireAppName(options);
      if ((checks === undefined) === (options.none !== true)) {
        throw new DozenError('CLI_USAGE', checks === undefined ? 'Give the factors or checks to require, or --none.' : 'Give either checks to require or --none, not both.', { hint: 'e.g. `dozen scorecard:require III,XI -a APP`.' });
      }
      const policy = await context.client().call('setScorecardPolicy', { params: { app }, body: { required: checks ?? null } });
      return options.json ? printJson(policy) : show(policy);
    });
};
