import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely as KyselyType } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Release } from '../core/model.js';
import { generateMasterKey, Keyring, type MasterKey } from '../secrets/master-keys.js';
import { SecretSealer } from '../secrets/sealer.js';
import { Kysely, Migrator, SqliteDialect } from './kysely-runtime.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { openSqliteStore } from './sqlite.js';

const secretsFor = (...keys: MasterKey[]) => ({ sealer: new SecretSealer(new Keyring(keys, 'the test key')) });
const canary = () => `canary-${randomBytes(12).toString('hex')}`;
const app = (name: string) => ({ id: `id-${name}`, name, createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null });
const release = (appId: string, version: number, config: Record<string, string>): Release => ({
  id: `${appId}-v${version}`, appId, version, slugId: null, buildId: null, config, description: `v${version}`, status: 'succeeded', failure: null, createdAt: '2026-01-01T00:00:00.000Z', commit: null,
});

/** Every file of the store (db, -wal, -shm) that exists, as bytes. */
function storeFiles(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

function filesContaining(dir: string, needle: string): string[] {
  return [...storeFiles(dir)].filter(([, bytes]) => bytes.includes(needle)).map(([name]) => name);
}

describe('the SQLite store keeps secrets sealed at rest', () => {
  it('seals config values, add-on URLs and drain URLs (names stay readable) and opens them for the core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-sealed-'));
    const store = await openSqliteStore(join(dir, 'dozen.db'), secretsFor(generateMasterKey()));
    const [value, password, token] = [canary(), canary(), canary()];
    await store.insertApp(app('shop'));
    await store.insertRelease(release('id-shop', 1, { SECRET_CANARY: value, PLAIN: 'x' }));
    await store.insertAddon({ id: 'ad1', name: 'redis-1', provider: 'redis', plan: 'dev', appId: 'id-shop', url: `redis://u:${password}@127.0.0.1:6379`, resource: { user: 'dz_1', secret_token: token }, createdAt: '2026-01-01T00:00:00.000Z' });
    await store.insertDrain({ id: 'dr1', appId: 'id-shop', url: `https://logs.example.com/${token}`, createdAt: '2026-01-01T00:00:00.000Z' });

    expect((await store.findRelease('id-shop', 1))?.config).toEqual({ SECRET_CANARY: value, PLAIN: 'x' });
    expect(await store.findAddon('redis-1')).toMatchObject({ url: `redis://u:${password}@127.0.0.1:6379`, resource: { user: 'dz_1', secret_token: token } });
    expect((await store.listDrains('id-shop'))[0]?.url).toBe(`https://logs.example.com/${token}`);
    // Same URL again: the digest keeps (app, url) unique although the sealed URLs differ.
    await expect(store.insertDrain({ id: 'dr2', appId: 'id-shop', url: `https://logs.example.com/${token}`, createdAt: '2026-01-01T00:00:00.000Z' })).rejects.toThrow(/UNIQUE/);

    const raw = store.kysely;
    const row = await raw.selectFrom('releases').select('config').where('id', '=', 'id-shop-v1').executeTakeFirstOrThrow();
    expect(Object.keys(JSON.parse(row.config) as object)).toEqual(['SECRET_CANARY', 'PLAIN']);
    expect(row.config).toMatch(/"SECRET_CANARY":"dz1:[0-9a-f]{16}:/);
    await store.close();
    for (const needle of [value, password, token]) expect(filesContaining(dir, needle), needle).toEqual([]);
  });

  it('refuses a value moved to another app or variable in the database', async () => {
    const store = await openSqliteStore(':memory:', secretsFor(generateMasterKey()));
    await store.insertApp(app('shop'));
    await store.insertApp(app('blog'));
    await store.insertRelease(release('id-shop', 1, { TOKEN: 'shop-secret' }));
    await store.insertRelease(release('id-blog', 1, { TOKEN: 'blog-secret', OTHER: 'x' }));
    const raw = store.kysely;
    const shopConfig = (await raw.selectFrom('releases').select('config').where('id', '=', 'id-shop-v1').executeTakeFirstOrThrow()).config;
    const blogConfig = JSON.parse((await raw.selectFrom('releases').select('config').where('id', '=', 'id-blog-v1').executeTakeFirstOrThrow()).config) as Record<string, string>;
    await raw.updateTable('releases').set({ config: shopConfig }).where('id', '=', 'id-blog-v1').execute();
    await expect(store.findRelease('id-blog', 1)).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
    await raw.updateTable('releases').set({ config: JSON.stringify({ TOKEN: blogConfig.OTHER, OTHER: blogConfig.TOKEN }) }).where('id', '=', 'id-blog-v1').execute();
    await expect(store.findRelease('id-blog', 1)).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
    await store.close();
  });

  it('refuses to open with another master key, names the key id it needs, and leaves every file byte-identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-sealed-'));
    const right = generateMasterKey();
    const first = await openSqliteStore(join(dir, 'dozen.db'), secretsFor(right));
    await first.insertApp(app('shop'));
    await first.insertRelease(release('id-shop', 1, { A: 'b' }));
    await first.close();
    const before = storeFiles(dir);
    let accepted = false;
    const wrong = generateMasterKey();
    await expect(openSqliteStore(join(dir, 'dozen.db'), { ...secretsFor(wrong), keysAccepted: () => (accepted = true) })).rejects.toMatchObject({
      code: 'SECRET_KEY_MISSING',
      message: expect.stringContaining(`master key id ${right.id}`),
    });
    expect(accepted).toBe(false);
    expect(hashes(storeFiles(dir))).toEqual(hashes(before));
    const again = await openSqliteStore(join(dir, 'dozen.db'), secretsFor(right));
    expect((await again.findRelease('id-shop', 1))?.config).toEqual({ A: 'b' });
    await again.close();
  });

  it('catches a wrong key with no app at all (the platform sentinel)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-sealed-'));
    const right = generateMasterKey();
    await (await openSqliteStore(join(dir, 'dozen.db'), secretsFor(right))).close();
    await expect(openSqliteStore(join(dir, 'dozen.db'), secretsFor(generateMasterKey()))).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining(right.id) });
  });

  it('seals the plain text of a data dir from before secrets at rest on open, and the old pages are gone from the files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-legacy-'));
    const file = join(dir, 'dozen.db');
    const [value, password, token] = [canary(), canary(), canary()];
    await writeLegacyStore(file, { value, password, token });
    expect(filesContaining(dir, value)).toContain('dozen.db');

    const store = await openSqliteStore(file, secretsFor(generateMasterKey()));
    expect((await store.findRelease('id-shop', 1))?.config).toEqual({ SECRET_CANARY: value });
    expect(await store.findAddon('redis-1')).toMatchObject({ url: `redis://u:${password}@127.0.0.1:6379` });
    expect((await store.listDrains('id-shop')).map((d) => d.url)).toEqual([`syslog+tls://logs.example.com:6514/${token}`]);
    // While open (WAL and all) and after close: no file holds a plain value.
    for (const needle of [value, password, token]) expect(filesContaining(dir, needle), needle).toEqual([]);
    await store.close();
    for (const needle of [value, password, token]) expect(filesContaining(dir, needle), needle).toEqual([]);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
  });
});

/** A store as the version before secrets at rest wrote it: schema 009, plain values, WAL. */
async function writeLegacyStore(file: string, values: { value: string; password: string; token: string }): Promise<void> {
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const { error } = await new Migrator({ db, provider: migrations }).migrateTo('009-process-sizes');
  if (error) throw error;
  const untyped = db as unknown as KyselyType<Record<string, Record<string, unknown>>>;
  await untyped.insertInto('apps').values({ id: 'id-shop', name: 'shop', created_at: '2026-01-01T00:00:00.000Z', current_release: 1 }).execute();
  await untyped.insertInto('releases').values({ id: 'r1', app_id: 'id-shop', version: 1, slug_id: null, build_id: null, config: JSON.stringify({ SECRET_CANARY: values.value }), description: 'v1', status: 'succeeded', failure: null, created_at: '2026-01-01T00:00:00.000Z', addon_vars: '[]', commit: null }).execute();
  await untyped.insertInto('addons').values({ id: 'ad1', name: 'redis-1', provider: 'redis', plan: 'dev', app_id: 'id-shop', url: `redis://u:${values.password}@127.0.0.1:6379`, resource: '{"user":"dz_1"}', created_at: '2026-01-01T00:00:00.000Z' }).execute();
  await untyped.insertInto('drains').values({ id: 'dr1', app_id: 'id-shop', url: `syslog+tls://logs.example.com:6514/${values.token}`, created_at: '2026-01-01T00:00:00.000Z' }).execute();
  // Deleted rows leave their bytes in free pages unless something rewrites them: an old plain value.
  await untyped.updateTable('releases').set({ description: 'v1 again' }).execute();
  await db.destroy();
}

function hashes(files: Map<string, Buffer>): Record<string, string> {
  return Object.fromEntries([...files].map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')]));
}
