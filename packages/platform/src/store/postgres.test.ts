import { randomBytes } from 'node:crypto';
import type { Kysely as KyselyType, Migration } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Release } from '../core/model.js';
import { generateMasterKey, Keyring, type MasterKey } from '../secrets/master-keys.js';
import { MasterKeyRotation } from '../secrets/master-key-rotation.js';
import { SecretSealer } from '../secrets/sealer.js';
import { startExternalPostgres, type ExternalPostgres } from '../test-support/external-postgres.js';
import { withClient } from '../test-support/pg-resource-client.js';
import { testSecrets } from '../test-support/sealer.js';
import { Kysely, PostgresDialect } from './kysely-runtime.js';
import { migrateStepwise } from './migrate.js';
import { migrationNames, migrations } from './migrations/index.js';
import { appliedPostgresMigrations, openPostgresStore } from './postgres.js';
import { storeConformance } from './store-conformance.js';

// One Debian PostgreSQL for the file (initdb + start once); a fresh database for each store opened.
let server: ExternalPostgres;
let databases = 0;

beforeAll(async () => {
  server = await startExternalPostgres({ throwaway: true });
}, 60_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

async function freshDatabase(): Promise<string> {
  databases += 1;
  const name = `store_${databases}`;
  await withClient(server.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

storeConformance('postgres', async () => openPostgresStore(await freshDatabase(), testSecrets()));

const secretsFor = (...keys: MasterKey[]) => ({ sealer: new SecretSealer(new Keyring(keys, 'the test key')) });
const app = (name: string) => ({ id: `id-${name}`, name, createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null });
const release = (appId: string, version: number, config: Record<string, string>): Release => ({
  id: `${appId}-v${version}`, appId, version, slugId: null, buildId: null, config, description: `v${version}`, status: 'succeeded', failure: null, createdAt: '2026-01-01T00:00:00.000Z', commit: null,
});
const event = (n: number): AuditEvent => ({
  id: `ev${n}`, time: '2026-01-01T00:00:00.000Z', actor: { tokenId: null, userId: null, label: 'admin' }, app: 'shop', action: 'createApp',
  method: 'POST', path: '/apps', params: { n }, result: { status: 201, code: null }, requestId: `r${n}`, remoteAddress: '127.0.0.1',
});

describe('the PostgreSQL store', () => {
  it('migrates once when three processes start on one database together: all start, each migration recorded once', async () => {
    const url = await freshDatabase();
    const key = generateMasterKey();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, secretsFor(key))));
    const applied = await withClient(url, async (client) => (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name));
    expect(applied).toEqual(migrationNames);
    expect(await appliedPostgresMigrations(url)).toEqual(migrationNames);
    // One sentinel data key, though three starts made sure of it.
    const keys = await withClient(url, async (client) => (await client.query("SELECT count(*)::int AS n FROM data_keys WHERE owner_id = 'platform'")).rows[0] as { n: number });
    expect(keys.n).toBe(1);
    // The lock is released: a fourth start later goes through at once.
    await (await openPostgresStore(url, secretsFor(key))).close();
    await Promise.all(stores.map((store) => store.close()));
  }, 60_000);

  it('keeps config values sealed in the database, and refuses to start with another master key before any write', async () => {
    const url = await freshDatabase();
    const key = generateMasterKey();
    const store = await openPostgresStore(url, secretsFor(key));
    const value = `canary-${randomBytes(12).toString('hex')}`;
    await store.insertApp(app('shop'));
    await store.insertRelease(release('id-shop', 1, { SECRET_CANARY: value }));
    expect((await store.findRelease('id-shop', 1))?.config).toEqual({ SECRET_CANARY: value });
    await store.close();
    const raw = await withClient(url, async (client) => (await client.query<{ config: string }>('SELECT config FROM releases')).rows[0]?.config ?? '');
    expect(raw).toMatch(/"SECRET_CANARY":"dz1:[0-9a-f]{16}:/);
    expect(raw).not.toContain(value);
    await expect(openPostgresStore(url, secretsFor(generateMasterKey()))).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING' });
  }, 30_000);

  it('secrets:rotate re-wraps every data key under the new master key; then the new key alone opens the store', async () => {
    const url = await freshDatabase();
    const [oldKey, newKey] = [generateMasterKey(), generateMasterKey()];
    const first = await openPostgresStore(url, secretsFor(oldKey));
    await first.insertApp(app('shop'));
    await first.insertRelease(release('id-shop', 1, { SECRET: 'hunter2' }));
    await first.close();
    const keyring = new Keyring([newKey, oldKey], 'DOZEN_SECRET_KEY');
    const sealer = new SecretSealer(keyring);
    const store = await openPostgresStore(url, { sealer });
    expect(await new MasterKeyRotation({ keyring, keyFile: null, rows: store, sealer }).rotate()).toMatchObject({ keyId: newKey.id, dataKeys: 2, rewrapped: 2, retiredKeyIds: [oldKey.id] });
    await store.close();
    const masters = await withClient(url, async (client) => (await client.query<{ master_key_id: string }>('SELECT master_key_id FROM data_keys')).rows);
    expect(new Set(masters.map((row) => row.master_key_id))).toEqual(new Set([newKey.id]));
    const after = await openPostgresStore(url, secretsFor(newKey));
    expect((await after.findRelease('id-shop', 1))?.config).toEqual({ SECRET: 'hunter2' });
    await after.close();
    await expect(openPostgresStore(url, secretsFor(oldKey))).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING' });
  }, 30_000);

  it('numbers audit events without gaps or twins when many are appended at once, and refuses to change them', async () => {
    const store = await openPostgresStore(await freshDatabase(), testSecrets());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendAudit(event(i + 1))));
    const seqs = await store.kysely.selectFrom('audit_events').select('seq').orderBy('seq').execute();
    expect(seqs.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expect(store.kysely.updateTable('audit_events').set({ actor_label: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(store.kysely.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    await store.close();
  }, 30_000);

  it('serialises its transactions as SQLite does: concurrent first uids of many apps are all different', async () => {
    const store = await openPostgresStore(await freshDatabase(), testSecrets());
    const uids = await Promise.all(Array.from({ length: 12 }, (_, i) => store.appUid(`app-${i}`, 20_000)));
    expect(new Set(uids).size).toBe(12);
    expect(Math.min(...uids)).toBe(20_000);
    expect(Math.max(...uids)).toBe(20_011);
    await store.close();
  }, 30_000);

  it('runs each migration in a transaction of its own: a failing one leaves nothing of itself, and is retried at the next start', async () => {
    const url = await freshDatabase();
    const all = await migrations.getMigrations();
    const broken: Migration = {
      up: async (trx: KyselyType<unknown>) => {
        await trx.schema.createTable('half_done').addColumn('id', 'text').execute();
        throw new Error('disk on fire');
      },
    };
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
    await expect(migrateStepwise(db, { getMigrations: async () => ({ ...all, '099-broken': broken }) })).rejects.toThrow('store migration 099-broken failed: disk on fire');
    await db.destroy();
    const tables = await withClient(url, async (client) => (await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.table_name));
    expect(tables).toContain('release_evidence');
    expect(tables).not.toContain('half_done');
    expect(await appliedPostgresMigrations(url)).toEqual(migrationNames);
  }, 30_000);

  it('names the unreachable server with its password masked (STORE_UNREACHABLE)', async () => {
    const url = new URL(server.adminUrl);
    url.port = '1';
    const error = (await openPostgresStore(url.toString(), testSecrets()).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    )) as Error & { code?: string };
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE' });
    expect(error.message).toContain('postgres:***@127.0.0.1:1/postgres');
    expect(error.message).not.toContain(new URL(server.adminUrl).password);
  }, 30_000);
});
