import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertExecutableBy, letTraverse } from './service-account.js';

// An account that owns nothing here: what the postgres or redis user is to the platform's files.
const stranger = { name: 'postgres', uid: 54321, gid: 54321 };
const root = mkdtempSync(join(tmpdir(), 'dozen-traverse-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('reaching a server\'s files as its own user', () => {
  it('refuses, naming the directory, when a parent above the data dir does not let the user pass', async () => {
    const locked = join(root, 'locked');
    mkdirSync(join(locked, 'data', 'addons'), { recursive: true });
    chmodSync(locked, 0o700);
    chmodSync(root, 0o755);
    await expect(letTraverse(join(locked, 'data', 'addons'), join(locked, 'data'), stranger)).rejects.toMatchObject({
      code: 'ADDON_SERVICE_UNAVAILABLE',
      message: `The postgres server runs as the postgres user, which cannot reach through ${locked}.`,
    });
  });

  it('refuses a binary in a directory the user cannot pass (instead of a spawn EACCES that would crash the platform)', async () => {
    const hidden = join(root, 'node_modules');
    mkdirSync(join(hidden, 'bin'), { recursive: true });
    writeFileSync(join(hidden, 'bin', 'postgres'), '', { mode: 0o755 });
    chmodSync(hidden, 0o700);
    await expect(assertExecutableBy(join(hidden, 'bin', 'postgres'), stranger)).rejects.toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE', message: expect.stringContaining(hidden) });
    chmodSync(hidden, 0o755);
    await expect(assertExecutableBy(join(hidden, 'bin', 'postgres'), stranger)).resolves.toBeUndefined();
  });

  it('changes nothing when the platform does not run as root (the server runs as the platform\'s user)', async () => {
    await expect(letTraverse('/nonexistent/dir', '/nonexistent', null)).resolves.toBeUndefined();
  });
});
