import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../packages/platform/src/net/free-port.js';
import { startExternalPostgres, type ExternalPostgres } from '../../packages/platform/src/test-support/external-postgres.js';
import { withClient } from '../../packages/platform/src/test-support/pg-resource-client.js';
import { TestPlatform } from './support/platform.js';

/** Issue 8: add-on servers given by admin URL (DOZEN_POSTGRES_ADMIN_URL, DOZEN_REDIS_ADMIN_URL) instead of the platform's own. */
describe('add-on servers by admin URL', () => {
  let platform: TestPlatform;
  let external: ExternalPostgres;
  let deadRedisPort: number;

  beforeAll(async () => {
    external = await startExternalPostgres();
    deadRedisPort = await freePort();
    platform = await TestPlatform.start({ DOZEN_POSTGRES_ADMIN_URL: external.adminUrl, DOZEN_REDIS_ADMIN_URL: `redis://admin:redis-admin-secret@127.0.0.1:${deadRedisPort}` });
  });
  afterAll(async () => {
    await platform?.destroy();
    await external?.stop();
  });

  it('provisions postgres add-ons on the external server, and starts no server of its own', async () => {
    expect((await platform.cli(['apps:create', 'ledger'])).code).toBe(0);
    const created = await platform.cli(['addons:create', 'postgres', '-a', 'ledger']);
    expect(created.code, created.stderr).toBe(0);
    const url = new URL(JSON.parse((await platform.cli(['config', '-a', 'ledger', '--json'])).stdout).DATABASE_URL as string);
    expect(url.port).toBe(String(external.port));
    await withClient(external.adminUrl, async (client) => {
      expect((await client.query('select datname from pg_database where datname = $1', [url.pathname.slice(1)])).rows).toHaveLength(1);
    });
    expect(existsSync(join(platform.dataDir, 'addons', 'postgres'))).toBe(false);
    const info = await platform.cli(['addons:info', 'DATABASE_URL', '-a', 'ledger']);
    expect(info.stdout).toMatch(new RegExp(`Server:\\s+external PostgreSQL 1\\d\\.\\d+ at 127\\.0\\.0\\.1:${external.port}`));
  });

  it('reports an unreachable admin URL at start (in the log) and at provision (a clear error, at once, not a hang)', async () => {
    expect(platform.logs).toContain(`redis: Cannot reach Redis at 127.0.0.1:${deadRedisPort}: ECONNREFUSED.`);
    const started = Date.now();
    const created = await platform.cli(['addons:create', 'redis', '-a', 'ledger']);
    expect(created.code).toBe(1);
    expect(created.stderr).toContain(`Cannot reach Redis at 127.0.0.1:${deadRedisPort}: ECONNREFUSED.`);
    expect(created.stderr).toContain('(ADDON_SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(`${platform.logs}${created.stderr}`).not.toContain('redis-admin-secret');
    expect(JSON.parse((await platform.cli(['addons', '-a', 'ledger', '--json'])).stdout)).toHaveLength(1);
  });

  it('reports a reachable but under-privileged Postgres admin URL at start (in the log), and refuses to provision on it', async () => {
    const addonRoles = () => withClient(external.adminUrl, async (client) => (await client.query(`select rolname from pg_roles where rolname like 'dz\\_%' order by 1`)).rows);
    await withClient(external.adminUrl, (client) => client.query(`create role clerk login password 'clerk-secret' nocreatedb nocreaterole`));
    const rolesBefore = await addonRoles();
    expect(rolesBefore).toHaveLength(1);
    const clerkUrl = new URL(external.adminUrl);
    clerkUrl.username = 'clerk';
    clerkUrl.password = 'clerk-secret';
    const weak = await TestPlatform.start({ DOZEN_POSTGRES_ADMIN_URL: clerkUrl.toString() });
    try {
      const complaint = `postgres: The admin role clerk on PostgreSQL at 127.0.0.1:${external.port} lacks CREATEDB and CREATEROLE, which provisioning needs.`;
      const line = weak.logs.split('\n').find((l) => l.includes(complaint));
      expect(line, weak.logs).toBeDefined();
      expect(JSON.parse(line as string)).toMatchObject({ level: 50, role: 'addons', msg: complaint });
      expect((await weak.cli(['apps:create', 'till'])).code).toBe(0);
      const created = await weak.cli(['addons:create', 'postgres', '-a', 'till']);
      expect(created.code).toBe(1);
      expect(created.stderr).toContain('lacks CREATEDB and CREATEROLE');
      expect(created.stderr).toContain('(ADDON_ADMIN_PRIVILEGES_MISSING');
      expect(`${weak.logs}${created.stderr}`).not.toContain('clerk-secret');
      expect(await addonRoles()).toEqual(rolesBefore);
    } finally {
      await weak.destroy();
    }
  });
});
