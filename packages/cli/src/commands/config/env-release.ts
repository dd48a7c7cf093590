import type { CliContext } from '../../context.js';
import { describeDiff, type EnvDiff } from '../../env-file.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';

/** Makes the one release of a .env diff (config:push, config:edit) through the config route; --dry-run prints its plan. */
export async function releaseEnvDiff(context: CliContext, app: string, current: Record<string, string>, diff: EnvDiff, options: { dryRun?: boolean; json?: boolean }, what: string): Promise<void> {
  const lines = describeDiff(current, diff);
  if (lines.length === 0) {
    if (options.json) return printJson({ release: null });
    return print(`${what}: no changes, no new release.`);
  }
  const body = { ...diff.set, ...Object.fromEntries(diff.unset.map((key) => [key, null])) };
  const result = await context.client().call('updateConfig', { params: { app }, body, ...dryRun(options) });
  if (options.json) return printJson(result);
  for (const line of lines) print(`  ${line}`);
  if ('dryRun' in result) return printReleasePlan(result, `${what} on ${app}`);
  print(result.release ? `${what}: released v${result.release.version} of ${app}.` : `${what}: the values were already set, no new release.`);
}
