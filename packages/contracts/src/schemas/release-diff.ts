import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

/** `?from=N&to=M`: the two releases to compare (M: default the current one). */
export const ReleaseDiffQuery = Type.Object({
  from: Type.Integer({ minimum: 1 }),
  to: Type.Optional(Type.Integer({ minimum: 1 })),
});

const Change = Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()) });

/** What changed from one release to another; config by key names only, never values. */
export const ReleaseDiffSchema = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  config: Type.Object({
    added: Type.Array(Type.String()),
    removed: Type.Array(Type.String()),
    changed: Type.Array(Type.String({ description: 'keys whose value differs (the values are not shown)' })),
  }),
  /** Config vars that add-on attachments set: attached in `to` and not in `from`, and the reverse. */
  addons: Type.Object({ attached: Type.Array(Type.String()), detached: Type.Array(Type.String()) }),
  slug: Nullable(Change),
  build: Nullable(Change),
  commit: Nullable(Change),
});
export type ReleaseDiff = Static<typeof ReleaseDiffSchema>;
