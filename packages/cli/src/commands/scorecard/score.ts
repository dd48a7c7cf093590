import { DozenError } from '@dozen/contracts/errors';
import type { Scorecard } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerAppsScore: Registrar = (program, context) => {
  appCommand(program, 'apps:score', 'the twelve-factor scorecard of a release (default: the current one)')
    .option('--release <version>', 'the release to score (vN or N)')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { release?: string }) => {
      const app = requireAppName(options);
      const client = context.client();
      let card: Scorecard;
      if (options.release === undefined) card = await client.call('getScorecard', { params: { app } });
      else {
        if (!/^v?[0-9]{1,9}$/.test(options.release)) throw new DozenError('CLI_USAGE', `--release ${options.release} is not a release version.`, { hint: 'Give it as vN or N (`dozen releases` lists them).' });
        card = await client.call('getReleaseScorecard', { params: { app, version: options.release } });
      }
      if (options.json) return printJson(card);
      print(`=== ${app} v${card.release} twelve-factor scorecard${card.commit ? ` (commit ${card.commit.slice(0, 7)})` : ''}`);
      print(table([['factor', 'check', 'status', 'evidence', 'hint'], ...card.checks.map((c) => [c.factor, c.id, c.status, c.evidence.join('; '), c.hint])]));
      print();
      print(card.summary);
    });
};
