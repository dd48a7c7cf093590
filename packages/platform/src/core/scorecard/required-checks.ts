import { DozenError } from '@dozen/contracts/errors';
import type { CheckResult } from './check.js';
import { CATALOGUE, FACTORS } from './catalogue.js';

/**
 * The policy `scorecard:require III,XI`: factors (every check of the factor) or check ids
 * (`XI.logs-to-stdout`). Parsed and checked against the catalogue, deduplicated, in given order.
 */
export function parseRequired(text: string): string[] {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new DozenError('SCORECARD_CHECK_UNKNOWN', 'No factor or check given to require.', { hint: 'Give factors (`III,XI`) or check ids (`XI.logs-to-stdout`); `--none` clears the policy.' });
  const normalised = items.map((item) => {
    const factor = item.toUpperCase();
    if ((FACTORS as readonly string[]).includes(factor)) return factor;
    const check = CATALOGUE.find((c) => c.id.toLowerCase() === item.toLowerCase());
    if (!check) throw new DozenError('SCORECARD_CHECK_UNKNOWN', `${item} is neither a factor (I to XII) nor a scorecard check.`, { hint: 'See `dozen apps:score` or docs/scorecard.md for the check ids.' });
    return check.id;
  });
  return [...new Set(normalised)];
}

/** The check ids a policy covers (factors expanded). */
export function requiredCheckIds(required: string[]): string[] {
  return CATALOGUE.filter((check) => required.includes(check.factor) || required.includes(check.id)).map((check) => check.id);
}

/** The results that fail a required check. */
export function requiredFailures(required: string[], results: CheckResult[]): CheckResult[] {
  const ids = new Set(requiredCheckIds(required));
  return results.filter((r) => r.status === 'fail' && (ids.has(r.id) || required.includes(r.factor)));
}

/** SCORECARD_REQUIRED_FAILED with the evidence of each failing check. */
export function requiredFailedError(app: string, failures: CheckResult[], serving: number | null): DozenError {
  const evidence = failures.map((f) => `${f.id}: ${f.evidence.slice(0, 3).join('; ')}`).join(' | ');
  const kept = serving === null ? 'no release was made' : `no release was made; v${serving} keeps serving`;
  return new DozenError('SCORECARD_REQUIRED_FAILED', `${app} requires ${failures.map((f) => f.id).join(', ')} to pass, and the build fails ${failures.length === 1 ? 'it' : 'them'} (${kept}): ${evidence}`, {
    hint: `${failures[0]?.hint ?? 'Fix what the evidence names'}. Or change the policy: \`dozen scorecard:require --none -a ${app}\`.`.trim(),
    details: { failed: failures.map((f) => ({ id: f.id, evidence: f.evidence })) },
  });
}
