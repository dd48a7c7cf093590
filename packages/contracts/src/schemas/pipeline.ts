import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';
import { ReleaseSchema } from './release.js';

/** Pipelines, promotion and review apps (issue 17). */
export const PipelineStageSchema = Type.Union([Type.Literal('development'), Type.Literal('staging'), Type.Literal('production')]);
export type PipelineStage = Static<typeof PipelineStageSchema>;

export const PipelineParams = Type.Object({ pipeline: Type.String({ maxLength: 100 }) });
export const CreatePipelineBody = Type.Object({ name: Type.String({ maxLength: 100 }) });
export const PipelineAppBody = Type.Object({ pipeline: Type.String({ maxLength: 100 }), stage: Type.String({ maxLength: 40 }) });
export const PromoteBody = Type.Object({ to: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })) });
export const ReviewAppsBody = Type.Object({
  autodeploy: Type.Optional(Type.Boolean()),
  staleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
});

export const ReviewSettingsSchema = Type.Object({
  enabled: Type.Boolean(),
  autodeploy: Type.Boolean(),
  staleDays: Type.Integer(),
  /** The names of the review config vars (values: `review-apps:config`). */
  configKeys: Type.Array(Type.String()),
});
export type ReviewSettings = Static<typeof ReviewSettingsSchema>;

export const ReviewAppSchema = Type.Object({
  app: Type.String(),
  branch: Type.String(),
  url: Type.String(),
  createdAt: Timestamp,
  lastPushAt: Timestamp,
});

export const PipelineSchema = Type.Object({
  name: Type.String(),
  createdAt: Timestamp,
  apps: Type.Array(Type.Object({ app: Type.String(), stage: PipelineStageSchema, release: Nullable(Type.Integer()) })),
  /** Apps of the pipeline the caller may not view (not named). */
  hiddenApps: Type.Integer(),
  reviewApps: ReviewSettingsSchema,
  reviews: Type.Array(ReviewAppSchema),
});
export type Pipeline = Static<typeof PipelineSchema>;

export const PipelineAppSchema = Type.Object({ app: Type.String(), pipeline: Type.String(), stage: PipelineStageSchema });

export const PromotionSchema = Type.Object({
  pipeline: Type.String(),
  source: Type.Object({ app: Type.String(), version: Type.Integer(), slug: Type.String(), digest: Nullable(Type.String()) }),
  promotions: Type.Array(Type.Object({ release: ReleaseSchema, slug: Type.String(), digest: Nullable(Type.String()) })),
  /** The promotion's output: the release phases and rollouts of the targets. */
  output: Type.Array(Type.String()),
});
export type Promotion = Static<typeof PromotionSchema>;
