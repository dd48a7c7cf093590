import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { printPlan } from '../../plan-output.js';

export const registerPsScale: Registrar = (program, context) => {
  appCommand(program, 'ps:scale', 'set how many processes of each type run (web=2, worker=+1)')
    .argument('<changes...>', 'TYPE=N, TYPE=+N or TYPE=-N')
    .option('--dry-run', 'print what would start and stop, and change nothing')
    .option('--json', 'print JSON')
    .action(async (changes: string[], options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const client = context.client();
      const parsed = changes.map(parseChange);
      const needsCurrent = parsed.some((c) => c.relative);
      const current = needsCurrent ? await client.call('getFormation', { params: { app } }) : [];
      const updates = parsed.map(({ type, amount, relative }) => ({
        type,
        quantity: relative ? (current.find((f) => f.type === type)?.quantity ?? 0) + amount : amount,
      }));
      if (options.dryRun) {
        const plan = await client.call('planFormation', { params: { app }, body: { updates } });
        if (options.json) return printJson(plan);
        return printPlan(plan, `Scaling ${app} to ${updates.map((u) => `${u.type}=${u.quantity}`).join(', ')} would:`);
      }
      const formation = await client.call('updateFormation', { params: { app }, body: { updates } });
      if (options.json) return printJson(formation);
      print(`Scaled ${app} to ${formation.map((f) => `${f.type}=${f.quantity}`).join(', ')}.`);
    });
};

function parseChange(change: string): { type: string; amount: number; relative: boolean } {
  const match = /^([^=\s]+)=([+-]?)(\d+)$/.exec(change);
  if (!match) throw new DozenError('CLI_USAGE', `${JSON.stringify(change)} is not TYPE=N.`, { hint: 'Run for example `dozen ps:scale web=2 worker=+1 -a APP`.' });
  const sign = match[2] === '-' ? -1 : 1;
  return { type: match[1] as string, amount: sign * Number(match[3]), relative: match[2] !== '' };
}
