import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import { testSecrets } from '../test-support/sealer.js';
import { serverState } from './secrets.js';

describe("the add-on servers' state files", () => {
  it('keep the admin password sealed (secrets at rest), and seal a plain one from before on the next read', async () => {
    const store = await openSqliteStore(':memory:', testSecrets());
    const box = store.platformSecrets();
    const dir = mkdtempSync(join(tmpdir(), 'dozen-state-'));
    const file = join(dir, 'redis.json');

    const made = await serverState(file, 'redis', box);
    expect(made.password).toMatch(/^[0-9a-f]{32}$/);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { port: number; password: string };
    expect(stored.port).toBe(made.port);
    expect(stored.password).toMatch(/^dz1:[0-9a-f]{16}:/);
    expect(readFileSync(file, 'utf8')).not.toContain(made.password);
    expect(await serverState(file, 'redis', box)).toEqual(made);
    // Sealed for redis: it does not open as postgres's.
    await expect(serverState(file, 'postgres', box)).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });

    writeFileSync(join(dir, 'postgres.json'), JSON.stringify({ port: 5999, password: 'f'.repeat(32) }));
    expect(await serverState(join(dir, 'postgres.json'), 'postgres', box)).toEqual({ port: 5999, password: 'f'.repeat(32) });
    expect(readFileSync(join(dir, 'postgres.json'), 'utf8')).not.toContain('f'.repeat(32));
    expect(await serverState(join(dir, 'postgres.json'), 'postgres', box)).toEqual({ port: 5999, password: 'f'.repeat(32) });
    await store.close();
  });
});
