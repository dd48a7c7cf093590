import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { loadKeyring, readKeyFile } from './key-file.js';
import { encodeMasterKey, generateMasterKey } from './master-keys.js';
import { SecretSealer } from './sealer.js';

const open = (dir: string, env: string[] | null) => {
  const loaded = loadKeyring(env, join(dir, 'secret-key'));
  return openSqliteStore(join(dir, 'dozen.db'), { sealer: new SecretSealer(loaded.keyring), keysAccepted: loaded.create });
};

describe('the master key file', () => {
  it('is created 0600 at the first start, read at the next, and ignored when DOZEN_SECRET_KEY is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-keys-'));
    await (await open(dir, null)).close();
    const file = join(dir, 'secret-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(readKeyFile(file).ids).toHaveLength(1);
    await (await open(dir, null)).close();
    expect(readFileSync(file, 'utf8')).toBe(text);
    await expect(open(dir, [encodeMasterKey(generateMasterKey())])).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining('from DOZEN_SECRET_KEY') });
  });

  it('missing while the store needs a key: the start refuses, names the key id, and writes no new key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-keys-'));
    await (await open(dir, null)).close();
    const needed = readKeyFile(join(dir, 'secret-key')).primary.id;
    rmSync(join(dir, 'secret-key'));
    await expect(open(dir, null)).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringMatching(new RegExp(`master key id ${needed}.*secret-key is missing and DOZEN_SECRET_KEY is unset`)) });
    expect(existsSync(join(dir, 'secret-key'))).toBe(false);
  });

  it('refuses a malformed key file without echoing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-keys-'));
    writeFileSync(join(dir, 'secret-key'), 'not-a-key-at-all\n');
    expect(() => loadKeyring(null, join(dir, 'secret-key'))).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID', message: expect.not.stringContaining('not-a-key-at-all') }));
  });
});
