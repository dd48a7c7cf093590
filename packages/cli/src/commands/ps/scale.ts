import type { FormationEntry } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { printPlan } from '../../plan-output.js';
import { parseScaleChange, scaledQuantity } from './scale-syntax.js';

export const registerPsScale: Registrar = (program, context) => {
  appCommand(program, 'ps:scale', 'show or set how many processes of each type run (web=2, worker+1, worker-1)')
    .argument('[changes...]', 'TYPE=N (absolute), TYPE+N or TYPE-N (relative); none: show the formation')
    .option('--dry-run', 'print what would start and stop, and change nothing')
    .option('--json', 'print JSON')
    .action(async (changes: string[], options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const client = context.client();
      const parsed = changes.map(parseScaleChange);
      const current = parsed.length === 0 || parsed.some((c) => c.relative) ? await client.call('getFormation', { params: { app } }) : [];
      if (parsed.length === 0) {
        if (options.json) return printJson(current);
        return print(describe(current) || `${app} has no process types yet: deploy it first.`);
      }
      const updates = parsed.map((change) => ({ type: change.type, quantity: scaledQuantity(change, current.find((f) => f.type === change.type)?.quantity ?? 0) }));
      if (options.dryRun) {
        const plan = await client.call('planFormation', { params: { app }, body: { updates } });
        if (options.json) return printJson(plan);
        return printPlan(plan, `Scaling ${app} to ${updates.map((u) => `${u.type}=${u.quantity}`).join(', ')} would:`);
      }
      const formation = await client.call('updateFormation', { params: { app }, body: { updates } });
      if (options.json) return printJson(formation);
      print(`Scaled ${app} to ${describe(formation)}.`);
    });
};

/** The platform lists no `release` type: it runs once per release (the release phase), never scaled. */
function describe(formation: FormationEntry[]): string {
  return formation
    .map((f) => `${f.type}=${f.quantity}`)
    .join(' ');
}
