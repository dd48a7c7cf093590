import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
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

it('refuses to update or delete audit events: the trail is append-only in the database itself', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'dozen-store-')), 'dozen.db');
  const store = await openSqliteStore(file, testSecrets());
  await store.appendAudit({
    id: 'ev', time: '2026-01-01T00:00:00.000Z', actor: { tokenId: null, userId: null, label: 'admin' }, app: 'shop', action: 'createApp',
    method: 'POST', path: '/apps', params: {}, result: { status: 201, code: null }, requestId: 'r', remoteAddress: '127.0.0.1',
  });
  await store.close();
  const raw = new SQLite(file);
  expect(() => raw.prepare("UPDATE audit_events SET actor_label = 'someone else'").run()).toThrow(/append-only/);
  expect(() => raw.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
  expect(raw.prepare('SELECT actor_label FROM audit_events').all()).toEqual([{ actor_label: 'admin' }]);
  raw.close();
});
