import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalPostgres, type ExternalPostgres } from '../../packages/platform/src/test-support/external-postgres.js';
import { withClient } from '../../packages/platform/src/test-support/pg-resource-client.js';
import { eventually, TestPlatform } from './support/platform.js';

// Issue 19, part 1: DATABASE_URL=postgres://… runs the whole platform on PostgreSQL. A Debian
// PostgreSQL in a temp dir, one database for the platform; the data dir gets no SQLite file.

interface NodeWebBody {
  greeting: string;
  process: string;
  release: string;
}

describe('the platform on a PostgreSQL store', () => {
  let server: ExternalPostgres;
  let platform: TestPlatform;
  let databaseUrl = '';
  const body = async () => {
    const response = await platform.http('hello');
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as NodeWebBody;
  };
  const rows = (query: string) => withClient(databaseUrl, async (client) => (await client.query(query)).rows as Record<string, unknown>[]);

  beforeAll(async () => {
    server = await startExternalPostgres();
    await withClient(server.adminUrl, (client) => client.query('CREATE DATABASE dozen'));
    const url = new URL(server.adminUrl);
    url.pathname = '/dozen';
    databaseUrl = url.toString();
    platform = await TestPlatform.start({ DATABASE_URL: databaseUrl });
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
    await server?.stop();
  });

  it('1. creates an app and deploys examples/node-web; the state is in PostgreSQL, not in a SQLite file', async () => {
    await platform.ok(['apps:create', 'hello']);
    expect((await platform.ok(['deploy', 'examples/node-web', '-a', 'hello'])).stdout).toContain('Released v1');
    expect(await body()).toMatchObject({ greeting: 'Hello from Dozen', release: 'v1', process: 'web.1' });
    expect(await rows("SELECT name FROM apps WHERE name = 'hello'")).toEqual([{ name: 'hello' }]);
    expect(await rows("SELECT r.version, r.status FROM releases r JOIN apps a ON a.id = r.app_id WHERE a.name = 'hello'")).toEqual([{ version: 1, status: 'succeeded' }]);
    expect(existsSync(join(platform.dataDir, 'dozen.db'))).toBe(false);
    const status = await platform.ok(['status']);
    expect(status.stdout).toMatch(/Store:\s+PostgreSQL \(DATABASE_URL\)/);
    expect(JSON.parse((await platform.ok(['status', '--json'])).stdout)).toMatchObject({ store: 'postgres' });
  });

  it('2. sets config, scales and reads the logs', async () => {
    expect((await platform.ok(['config:set', 'GREETING=Howdy from PostgreSQL', '-a', 'hello'])).stdout).toContain('released v2');
    expect(await body()).toMatchObject({ greeting: 'Howdy from PostgreSQL', release: 'v2' });
    await platform.ok(['ps:scale', 'web=2', '-a', 'hello']);
    await eventually(async () => {
      const ps = await platform.ok(['ps', '-a', 'hello']);
      expect(ps.stdout).toMatch(/web\.1:\s+up/);
      expect(ps.stdout).toMatch(/web\.2:\s+up/);
    });
    const logs = await eventually(async () => {
      const result = await platform.ok(['logs', '-n', '200', '-a', 'hello']);
      expect(result.stdout).toMatch(/app\[web\.\d\]: GET \/ -> 200/);
      return result;
    });
    expect(logs.stdout).toMatch(/dozen\[api\]: Scaled to web@2/);
    // The audit trail is in the same database, numbered 1, 2, 3… in the order of the requests.
    const audit = await rows("SELECT action FROM audit_events WHERE app = 'hello' ORDER BY seq");
    expect(audit.map((row) => row.action)).toEqual(['createApp', 'createBuild', 'updateConfig', 'updateFormation']);
    const seqs = (await rows('SELECT seq FROM audit_events ORDER BY seq')).map((row) => row.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('3. after a restart of the platform it finds its apps, releases, config and formation again', async () => {
    platform = await platform.restart();
    expect((await platform.ok(['config:get', 'GREETING', '-a', 'hello'])).stdout).toBe('Howdy from PostgreSQL\n');
    const releases = JSON.parse((await platform.ok(['releases', '-a', 'hello', '--json'])).stdout) as { version: number; current: boolean }[];
    expect(releases.map((r) => [r.version, r.current])).toEqual([[2, true], [1, false]]);
    expect(JSON.parse((await platform.ok(['ps', '-a', 'hello', '--json'])).stdout)).toHaveLength(2);
    expect(await body()).toMatchObject({ greeting: 'Howdy from PostgreSQL', release: 'v2' });
    // It carries on from there: the next release is v3.
    expect((await platform.ok(['config:set', 'GREETING=Again', '-a', 'hello'])).stdout).toContain('released v3');
    expect(await body()).toMatchObject({ greeting: 'Again', release: 'v3' });
    expect(existsSync(join(platform.dataDir, 'dozen.db'))).toBe(false);
  });

  it('4. refuses backups:create (BACKUP_STORE_EXTERNAL): the archive is for a SQLite store with its data dir', async () => {
    const result = await platform.fails(['backups:create'], 'BACKUP_STORE_EXTERNAL');
    expect(result.stderr).toContain('PostgreSQL');
    expect((await platform.ok(['backups', '--json'])).stdout.trim()).toBe('[]');
  });
});
