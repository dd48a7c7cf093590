import type { ReleasePlan as WirePlan } from '@dozen/contracts';
import type { ReleasePlan } from '../core/release-plan.js';

/** A release plan as a dry run answers it; null: the change would release nothing. */
export function toWirePlan(app: string, plan: ReleasePlan | null): WirePlan {
  return {
    dryRun: true,
    app,
    release: plan?.release.version ?? null,
    description: plan?.release.description ?? null,
    config: plan?.configChanged ?? { set: [], unset: [] },
    releasePhase: plan?.releasePhase ?? null,
    steps: plan?.steps ?? [],
  };
}
