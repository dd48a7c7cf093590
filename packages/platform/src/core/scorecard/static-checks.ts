import type { CheckResult } from './check.js';
import { codebaseChecks } from './codebase-checks.js';
import { configChecks } from './config-checks.js';
import { dependencyChecks } from './dependency-checks.js';
import { outputChecks } from './output-checks.js';
import { processChecks } from './process-checks.js';
import { releaseChecks } from './release-checks.js';
import { serviceChecks } from './service-checks.js';
import type { CheckContext, SourceSnapshot } from './source-snapshot.js';

/**
 * Every static check over the source tree the build received: pure, never running app code.
 * When the scan left files out, each result says so.
 */
export function staticChecks(snapshot: SourceSnapshot, context: CheckContext): CheckResult[] {
  const results = [
    ...codebaseChecks(snapshot, context),
    ...dependencyChecks(snapshot),
    ...configChecks(snapshot),
    ...serviceChecks(snapshot, context),
    ...releaseChecks(snapshot),
    ...processChecks(snapshot),
    ...outputChecks(snapshot),
  ];
  if (snapshot.notes.length === 0) return results;
  return results.map((r) => ({ ...r, evidence: [...r.evidence, ...snapshot.notes] }));
}
