import { DozenError } from '@dozen/contracts/errors';

/**
 * What a data dir says about who wrote it: `<data dir>/VERSION`, written after the migrations of
 * each start. `schema` is the name of the last store migration (`NNN-topic`).
 */
export interface DataVersion {
  schema: string;
  platform: string;
}

/** What this platform knows, and what it found in the data dir before writing anything. */
export interface DataVersionCheck {
  /** This platform's migrations, in order. */
  known: readonly string[];
  platform: string;
  dataDir: string;
  /** The VERSION file, or null (a data dir from before it was written, or a new one). */
  file: DataVersion | null;
  /** Migrations the store records as applied (empty: no store yet). */
  applied: readonly string[];
}

/** The number of a migration name (`014-acme` -> 14); names without one count as 0. */
export function schemaNumber(name: string): number {
  const match = /^(\d+)/.exec(name);
  return match ? Number(match[1]) : 0;
}

/**
 * Refuses a data dir written by a newer platform: its VERSION names a later schema, or its store
 * has migrations this platform does not know. Migrating such a store down, or running on it, would
 * corrupt it; the newer platform must run instead.
 */
export function checkDataVersion(check: DataVersionCheck): void {
  const latest = check.known[check.known.length - 1] ?? '000';
  const unknown = check.applied.filter((name) => !check.known.includes(name));
  const newerFile = check.file !== null && schemaNumber(check.file.schema) > schemaNumber(latest);
  if (unknown.length === 0 && !newerFile) return;
  const schema = newerFile && check.file ? check.file.schema : (unknown[unknown.length - 1] as string);
  const writer = newerFile && check.file ? `Dozen ${check.file.platform} (schema ${check.file.schema})` : `a newer Dozen (its store has migration ${schema})`;
  throw new DozenError('DATA_DIR_NEWER', `The data dir ${check.dataDir} was written by ${writer}; this is Dozen ${check.platform} (schema ${latest}), which does not know schema ${schema}.`, {
    details: { dataDir: check.dataDir, found: schema, known: latest },
  });
}
