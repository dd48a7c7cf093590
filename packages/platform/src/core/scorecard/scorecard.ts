import type { CheckResult, CheckStatus } from './check.js';
import { CATALOGUE, result } from './catalogue.js';

const NO_STATIC = 'no static results: the build ran without the scorecard';
const NO_RUNTIME = 'no runtime evidence yet';

/**
 * A release's scorecard: one result per catalogue check, in catalogue order. Static results come
 * from the build of its slug (null: that build was not scored), runtime ones from its processes;
 * a check without a result is `unknown` and says why.
 */
export function assembleScorecard(staticResults: CheckResult[] | null, runtimeResults: CheckResult[]): CheckResult[] {
  const byId = new Map<string, CheckResult>();
  for (const found of [...(staticResults ?? []), ...runtimeResults]) byId.set(found.id, found);
  const known = CATALOGUE.map((check) => byId.get(check.id) ?? result(check.id, 'unknown', [check.source === 'static' ? NO_STATIC : NO_RUNTIME]));
  // Results of checks this catalogue does not list (a newer runtime) are kept, after the known ones.
  const extra = [...byId.values()].filter((found) => !CATALOGUE.some((check) => check.id === found.id));
  return [...known, ...extra];
}

export function countByStatus(results: CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const found of results) counts[found.status] += 1;
  return counts;
}

/** `Twelve-factor: 11 pass, 1 warn (XI: web.1 writes /tmp/app.log)`: the deploy's last line. */
export function scoreLine(results: CheckResult[]): string {
  const counts = countByStatus(results);
  const why = (status: CheckStatus): string => {
    const items = results.filter((r) => r.status === status).map((r) => `${r.factor}: ${r.evidence[0] ?? r.title}`);
    return items.length === 0 ? '' : ` (${items.join('; ')})`;
  };
  const parts = [`${counts.pass} pass`];
  if (counts.warn > 0) parts.push(`${counts.warn} warn${why('warn')}`);
  if (counts.fail > 0) parts.push(`${counts.fail} fail${why('fail')}`);
  if (counts.unknown > 0) parts.push(`${counts.unknown} unknown`);
  return `Twelve-factor: ${parts.join(', ')}`;
}
