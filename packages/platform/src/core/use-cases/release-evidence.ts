import { DozenError } from '@dozen/contracts/errors';
import type { CheckResult } from '../scorecard/check.js';
import type { CoreDeps } from '../deps.js';
import { runtimeChecks } from '../scorecard/runtime-checks.js';
import { requireApp } from './require-app.js';

export interface ReleaseEvidence {
  app: string;
  release: number;
  evidence: { process: string; kind: string; value: unknown; at: string }[];
  checks: CheckResult[];
}

/** What the processes of release v`version` showed at run time, and the runtime checks graded from it (issue 18). */
export async function releaseEvidence(deps: Pick<CoreDeps, 'store' | 'evidence'>, appName: string, version: number): Promise<ReleaseEvidence> {
  const app = await requireApp(deps, appName);
  if (!(await deps.store.findRelease(app.id, version))) throw new DozenError('RELEASE_NOT_FOUND', `${appName} has no release v${version}.`);
  const records = await deps.evidence.listEvidence(app.id, version);
  return {
    app: appName,
    release: version,
    evidence: records.map((r) => ({ process: r.process, kind: r.kind, value: r.value, at: r.at })),
    checks: runtimeChecks(records),
  };
}
