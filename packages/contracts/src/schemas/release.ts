import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

export const ReleaseStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]);
export type ReleaseStatus = Static<typeof ReleaseStatusSchema>;

export const ReleaseSchema = Type.Object({
  version: Type.Integer(),
  app: Type.String(),
  description: Type.String(),
  status: ReleaseStatusSchema,
  current: Type.Boolean(),
  slug: Nullable(Type.String()),
  build: Nullable(Type.String()),
  failure: Nullable(Type.String()),
  createdAt: Timestamp,
  /** The git commit whose code the release runs, when it came from git. */
  commit: Nullable(Type.String()),
  /** sha256 over the slug's files (`releases`): a promoted release shows its source's (issue 17). */
  slugDigest: Type.Optional(Nullable(Type.String())),
});
export type Release = Static<typeof ReleaseSchema>;

export const RollbackBody = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
