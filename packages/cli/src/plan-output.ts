import type { Plan } from '@dozen/contracts';
import { print } from './output.js';

/** A dry run's plan as numbered steps, each starting once the previous one took effect. */
export function printPlan(plan: Plan, heading: string): void {
  print(heading);
  if (plan.steps.length === 0) return print('  Nothing to do: the processes already match.');
  plan.steps.forEach((step, i) => {
    const when = i === 0 ? 'now' : 'then, once the step above has taken effect';
    print(`  ${i + 1}. ${when}:`);
    for (const action of step) {
      const why = action.reason === null ? '' : ` (${action.reason.replace('-', ' ')})`;
      print(`       ${action.action.padEnd(7)} ${action.process} v${action.release}${why}`);
    }
  });
  print('Nothing was changed (dry run).');
}
