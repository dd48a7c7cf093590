import type { EvidenceStore } from '../ports/evidence-store.js';
import type { CheckResult } from './check.js';
import { runtimeChecks } from './runtime-checks.js';

/**
 * The seam to the scorecard (issue 18): a release's runtime checks, graded from the evidence its
 * processes left in the store.
 */
export function runtimeResultsFrom(store: EvidenceStore): (release: { appId: string; version: number }) => Promise<CheckResult[]> {
  return async (release) => runtimeChecks(await store.listEvidence(release.appId, release.version));
}
