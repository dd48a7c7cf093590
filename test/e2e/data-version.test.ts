import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOZEN_VERSION } from '../../packages/contracts/src/version.js';
import { migrationNames } from '../../packages/platform/src/store/migrations/index.js';
import { TestPlatform } from './support/platform.js';

/** The schema this platform writes: its last migration. */
const LATEST = migrationNames.at(-1)!;

/** Every file of a tree with a digest of its content: equal snapshots, nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) files[full] = `${stat.mode}:${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
    }
  };
  walk(dir);
  return files;
}

function sql(dataDir: string, statement: string): void {
  const db = new Database(join(dataDir, 'dozen.db'));
  db.exec(statement);
  db.close();
}

/** Issue 15, versioned data: the data dir records its schema; a newer one is refused; an older one migrated. */
describe('the data dir version', () => {
  let platform: TestPlatform;
  const versionFile = () => JSON.parse(readFileSync(join(platform.dataDir, 'VERSION'), 'utf8')) as { schema: string; platform: string };
  const refusal = async () => {
    const next = new TestPlatform(platform.dataDir, { DOZEN_APP_NETWORK: platform.networkRange });
    const before = snapshot(platform.dataDir);
    const error = await next.boot().then(() => null, (e: Error) => e);
    await next.stop();
    expect(snapshot(platform.dataDir)).toEqual(before);
    return error?.message ?? 'it started';
  };

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await platform.ok(['apps:create', 'kept']);
    await platform.stop();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('records the schema and the platform that wrote the data dir', () => {
    expect(versionFile()).toEqual({ schema: LATEST, platform: DOZEN_VERSION });
  });

  it('refuses, changing nothing, a data dir whose VERSION names a later schema', async () => {
    const current = readFileSync(join(platform.dataDir, 'VERSION'), 'utf8');
    writeFileSync(join(platform.dataDir, 'VERSION'), JSON.stringify({ schema: '099-from-the-future', platform: '9.0.0' }));
    const message = await refusal();
    expect(message).toContain(`The data dir ${platform.dataDir} was written by Dozen 9.0.0 (schema 099-from-the-future); this is Dozen ${DOZEN_VERSION} (schema ${LATEST})`);
    expect(message).toContain('(DATA_DIR_NEWER)');
    expect(message).toContain('Run the newer Dozen');
    writeFileSync(join(platform.dataDir, 'VERSION'), current);
  });

  it('refuses a store that records a migration this platform does not have', async () => {
    sql(platform.dataDir, "INSERT INTO kysely_migration (name, timestamp) VALUES ('090-from-the-future', '2030-01-01T00:00:00.000Z')");
    const message = await refusal();
    expect(message).toContain('was written by a newer Dozen (its store has migration 090-from-the-future)');
    expect(message).toContain('(DATA_DIR_NEWER)');
    sql(platform.dataDir, "DELETE FROM kysely_migration WHERE name = '090-from-the-future'");
  });

  it('migrates a data dir an older platform wrote, on start, keeping its data', async () => {
    // As the platform before issue 15 left it: no collected_at column, schema 014.
    sql(platform.dataDir, [
      'ALTER TABLE slugs DROP COLUMN collected_at; DROP TABLE review_apps; DROP TABLE pipeline_apps; DROP TABLE pipelines',
      'DROP TABLE cron_jobs; DROP TABLE cron_runs; ALTER TABLE apps DROP COLUMN maintenance',
      'ALTER TABLE builds DROP COLUMN checks; ALTER TABLE apps DROP COLUMN scorecard_required; DROP TABLE release_evidence',
      'DROP TABLE cluster_members; DROP TABLE cluster_log_apps; DROP TABLE cluster_log_lines; DROP TABLE cluster_build_outputs; DROP TABLE cluster_build_output_lines',
      'DROP TABLE artefacts; DROP TABLE artefact_chunks; DROP TABLE build_jobs; DROP TABLE build_job_events',
      "DELETE FROM kysely_migration WHERE name > '014-acme'",
    ].join('; '));
    writeFileSync(join(platform.dataDir, 'VERSION'), JSON.stringify({ schema: '014-acme', platform: '0.0.9' }));
    await platform.boot();
    expect(versionFile()).toEqual({ schema: LATEST, platform: DOZEN_VERSION });
    expect((await platform.ok(['apps'])).stdout).toContain('kept');
    const status = JSON.parse((await platform.ok(['status', '--json'])).stdout) as { schema: string };
    expect(status.schema).toBe(LATEST);
  });
});
