import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStore } from './sqlite.js';
import { testSecrets } from '../test-support/sealer.js';
import { storeConformance } from './store-conformance.js';

storeConformance('sqlite (file)', () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'dozen-store-')), 'dozen.db'), testSecrets()));

it('keeps the database file and its WAL readable by the owner only (it holds every app\'s credentials)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-store-'));
  const store = await openSqliteStore(join(dir, 'dozen.db'), testSecrets());
  await store.insertApp({ id: 'a', name: 'mode', createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null });
  for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
  await store.close();
});
