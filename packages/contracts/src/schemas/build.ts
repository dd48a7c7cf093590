import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from './common.js';

export const BuildStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('building'),
  Type.Literal('releasing'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);
export type BuildStatus = Static<typeof BuildStatusSchema>;

export const BuildSchema = Type.Object({
  id: Type.String(),
  app: Type.String(),
  status: BuildStatusSchema,
  buildpack: Nullable(Type.String()),
  release: Nullable(Type.Integer()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), hint: Type.String() })),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  /** The git commit the source came from (a push or `deploy --ref`), else null. */
  commit: Nullable(Type.String()),
});
export type Build = Static<typeof BuildSchema>;

export const BuildParams = Type.Object({ app: Type.String({ maxLength: 256 }), build: Type.String({ maxLength: 64 }) });
