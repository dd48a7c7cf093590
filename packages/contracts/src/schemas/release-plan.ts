import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';
import { PlannedActionSchema, PlanSchema } from './process.js';

/** `?dryRun=true` on a route that makes a release: the plan comes back, and nothing changes. */
export const DryRunQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'answer the release plan and change nothing' })),
});

/** The release a change would make and the processes its rollout would start and stop. */
export const ReleasePlanSchema = Type.Object({
  dryRun: Type.Literal(true),
  app: Type.String(),
  release: Nullable(Type.Integer({ description: 'the version it would create; null: nothing to release' })),
  description: Nullable(Type.String()),
  config: Type.Object({
    set: Type.Array(Type.String(), { description: 'config vars added or changed' }),
    unset: Type.Array(Type.String(), { description: 'config vars removed' }),
  }),
  releasePhase: Nullable(Type.String({ description: 'the release phase command it would run first' })),
  steps: Type.Array(Type.Array(PlannedActionSchema), { description: 'each step starts once the previous one took effect' }),
});
export type ReleasePlan = Static<typeof ReleasePlanSchema>;

/** The answer of a route that takes `dryRun`: its own result, or the plan. */
export function OrPlan<T extends Parameters<typeof Type.Union>[0][number]>(result: T) {
  return Type.Union([ReleasePlanSchema, result]);
}

/** `deploy --dry-run`: the rollout of the release a build would make (its release phase, when it has one). */
export const DeployPlanSchema = Type.Object({ ...PlanSchema.properties, releasePhase: Type.Optional(Type.String()) });
export type DeployPlan = Static<typeof DeployPlanSchema>;
