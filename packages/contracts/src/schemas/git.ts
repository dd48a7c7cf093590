import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

/** An app's git repository: where it is served and which branches deploy when pushed. */
export const GitInfoSchema = Type.Object({
  app: Type.String(),
  /** Path of the repository below the API URL (`/git/<app>.git`). */
  path: Type.String(),
  /** The app's own deploy branch, or null for the default (main or master). */
  deployBranch: Nullable(Type.String()),
  /** The branches whose pushes deploy: the setting, or `main` and `master`. */
  deployBranches: Type.Array(Type.String()),
});
export type GitInfo = Static<typeof GitInfoSchema>;

/** null restores the default deploy branches. */
export const GitUpdateBody = Type.Object({ deployBranch: Nullable(Type.String({ maxLength: 256 })) });
export type GitUpdate = Static<typeof GitUpdateBody>;

/** A full commit id (SHA-1 or SHA-256), lowercase hex. */
export const COMMIT_PATTERN = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
