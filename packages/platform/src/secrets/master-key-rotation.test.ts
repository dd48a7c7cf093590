import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { loadKeyring, readKeyFile } from './key-file.js';
import { MasterKeyRotation } from './master-key-rotation.js';
import { encodeMasterKey, generateMasterKey, Keyring } from './master-keys.js';
import { SecretSealer } from './sealer.js';

const app = { id: 'id-shop', name: 'shop', createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null };
const release = { id: 'r1', appId: 'id-shop', version: 1, slugId: null, buildId: null, config: { SECRET: 'hunter2' }, description: 'v1', status: 'succeeded' as const, failure: null, createdAt: '2026-01-01T00:00:00.000Z', commit: null };

function filesContaining(dir: string, text: string): string[] {
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(text));
}

describe('secrets:rotate', () => {
  it('key file: a new master key wraps every data key, the old one is deleted from the file, values and ciphertexts stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-rotate-'));
    const keyFile = join(dir, 'secret-key');
    const loaded = loadKeyring(null, keyFile);
    const sealer = new SecretSealer(loaded.keyring);
    const store = await openSqliteStore(join(dir, 'dozen.db'), { sealer, keysAccepted: loaded.create });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const oldId = readKeyFile(keyFile).primary.id;
    await store.insertApp(app);
    await store.insertRelease(release);
    const sealedBefore = (await store.kysely.selectFrom('releases').select('config').executeTakeFirstOrThrow()).config;
    const wrappedBefore = (await store.kysely.selectFrom('data_keys').select('wrapped').execute()).map((row) => row.wrapped);

    const rotation = new MasterKeyRotation({ keyring: loaded.keyring, keyFile, rows: store, sealer });
    const done = await rotation.rotate();
    expect(done).toMatchObject({ source: 'file', dataKeys: 2, rewrapped: 2, retiredKeyIds: [oldId] });
    expect(done.keyId).not.toBe(oldId);
    expect(readKeyFile(keyFile).ids).toEqual([done.keyId]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const masters = await store.kysely.selectFrom('data_keys').select('master_key_id').execute();
    expect(new Set(masters.map((row) => row.master_key_id))).toEqual(new Set([done.keyId]));
    expect((await store.kysely.selectFrom('releases').select('config').executeTakeFirstOrThrow()).config).toBe(sealedBefore);
    // The data keys as the old master key wrapped them are gone from the files (database and WAL).
    for (const wrapped of wrappedBefore) expect(filesContaining(dir, wrapped), wrapped).toEqual([]);
    expect((await store.findRelease('id-shop', 1))?.config).toEqual({ SECRET: 'hunter2' });
    // New data keys go under the new key too.
    await store.insertApp({ ...app, id: 'id-blog', name: 'blog' });
    expect((await store.kysely.selectFrom('data_keys').select('master_key_id').where('owner_id', '=', 'id-blog').executeTakeFirstOrThrow()).master_key_id).toBe(done.keyId);
    await store.close();

    // The next start reads the rotated file; the old key alone no longer opens the store.
    const reopened = await openSqliteStore(join(dir, 'dozen.db'), { sealer: new SecretSealer(readKeyFile(keyFile)) });
    expect((await reopened.findRelease('id-shop', 1))?.config).toEqual({ SECRET: 'hunter2' });
    await reopened.close();
    const old = new Keyring([generateMasterKey()], 'x');
    await expect(openSqliteStore(join(dir, 'dozen.db'), { sealer: new SecretSealer(old) })).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining(done.keyId) });
    expect(readFileSync(keyFile, 'utf8')).not.toContain(encodeMasterKey(old.primary));
  });

  it('DOZEN_SECRET_KEY=NEW,OLD: re-wraps under NEW and names OLD as removable; with one key and nothing to do it says how to rotate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-rotate-'));
    const [oldKey, newKey] = [generateMasterKey(), generateMasterKey()];
    const first = await openSqliteStore(join(dir, 'dozen.db'), { sealer: new SecretSealer(loadKeyring([encodeMasterKey(oldKey)], join(dir, 'secret-key')).keyring) });
    await first.insertApp(app);
    await first.insertRelease(release);
    await first.close();

    const loaded = loadKeyring([encodeMasterKey(newKey), encodeMasterKey(oldKey)], join(dir, 'secret-key'));
    const sealer = new SecretSealer(loaded.keyring);
    const store = await openSqliteStore(join(dir, 'dozen.db'), { sealer });
    const done = await new MasterKeyRotation({ keyring: loaded.keyring, keyFile: null, rows: store, sealer }).rotate();
    expect(done).toEqual({ keyId: newKey.id, source: 'env', dataKeys: 2, rewrapped: 2, retiredKeyIds: [oldKey.id] });
    await store.close();

    const only = loadKeyring([encodeMasterKey(newKey)], join(dir, 'secret-key'));
    const onlySealer = new SecretSealer(only.keyring);
    const after = await openSqliteStore(join(dir, 'dozen.db'), { sealer: onlySealer });
    expect((await after.findRelease('id-shop', 1))?.config).toEqual({ SECRET: 'hunter2' });
    await expect(new MasterKeyRotation({ keyring: only.keyring, keyFile: null, rows: after, sealer: onlySealer }).rotate()).rejects.toMatchObject({ code: 'SECRET_ROTATE_NEEDS_NEW_KEY' });
    await after.close();
  });
});
