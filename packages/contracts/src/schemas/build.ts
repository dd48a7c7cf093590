import { Type, type Static } from '../typebox.js';
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
  slug: Nullable(Type.String()),
  /** Timed steps (detect, install, build, prune, slug, compile) once the build ran them. */
  phases: Type.Array(Type.Object({ name: Type.String(), ms: Type.Integer() })),
  /** What the build warned about (no lockfile, ignored app.json keys...). */
  warnings: Type.Array(Type.String()),
  /** The git commit the source came from (a push or `deploy --ref`), else null. */
  commit: Nullable(Type.String()),
});
export type Build = Static<typeof BuildSchema>;

export const BuildpackSchema = Type.Object({ ordinal: Type.Integer(), url: Type.String() });
export type Buildpack = Static<typeof BuildpackSchema>;
export const BuildpacksBody = Type.Object({ buildpacks: Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 16 }) });
export const CachePurgedSchema = Type.Object({ purged: Type.String() });

export const BuildParams = Type.Object({ app: Type.String({ maxLength: 256 }), build: Type.String({ maxLength: 64 }) });
