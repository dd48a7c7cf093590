import type { Plan, ReleasePlan } from '@dozen/contracts';
import { print } from './output.js';

/** A dry run's plan as numbered steps, each starting once the previous one took effect. */
export function printPlan(plan: Pick<Plan, 'steps'>, heading: string): void {
  print(heading);
  printSteps(plan.steps);
  print('Nothing was changed (dry run).');
}

/** A dry run of a change that makes a release: the release, its config changes, then the rollout. */
export function printReleasePlan(plan: ReleasePlan, what: string): void {
  if (plan.release === null) {
    print(`${what} would release nothing: the config stays as it is.`);
    print('Nothing was changed (dry run).');
    return;
  }
  print(`${what} would release v${plan.release}: ${plan.description ?? ''}`);
  if (plan.config.set.length > 0) print(`  Config vars set:   ${plan.config.set.join(', ')}`);
  if (plan.config.unset.length > 0) print(`  Config vars unset: ${plan.config.unset.join(', ')}`);
  if (plan.releasePhase !== null) print(`  Release phase first: ${plan.releasePhase}`);
  printPlan(plan, 'and roll it out:');
}

function printSteps(steps: Plan['steps']): void {
  if (steps.length === 0) return print('  Nothing to do: the processes already match.');
  steps.forEach((step, i) => {
    const when = i === 0 ? 'now' : 'then, once the step above has taken effect';
    print(`  ${i + 1}. ${when}:`);
    for (const action of step) {
      const why = action.reason === null ? '' : ` (${action.reason.replace('-', ' ')})`;
      print(`       ${action.action.padEnd(7)} ${action.process} v${action.release}${why}`);
    }
  });
}

/** The query of a route that takes `dryRun`, from the command's `--dry-run`. */
export function dryRun(options: { dryRun?: boolean }): { query?: { dryRun: true } } {
  return options.dryRun ? { query: { dryRun: true } } : {};
}
