import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logHistoryConformance } from '../logs/log-history-conformance.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { SessionConnection } from '../store/pg-session-connection.js';
import { openPostgresStore } from '../store/postgres.js';
import { eventually, freshClusterDatabase } from '../test-support/cluster-database.js';
import { startExternalPostgres, type ExternalPostgres } from '../test-support/external-postgres.js';
import { withClient } from '../test-support/pg-resource-client.js';
import { testSecrets } from '../test-support/sealer.js';
import { PgLogHistory, type PgLogHistoryOptions } from './pg-log-history.js';
import { PgNotifier } from './pg-notifier.js';

let server: ExternalPostgres;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startExternalPostgres({ throwaway: true });
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.stop();
}, 60_000);

/** A migrated database, and a way to open "processes" on it: each its own store pool and session connection. */
async function cluster(): Promise<{ url: string; queries: () => number; process(options: Omit<PgLogHistoryOptions, 'db' | 'notifier'>): Promise<PgLogHistory> }> {
  const url = await freshClusterDatabase(server, 'logs');
  const secrets = testSecrets();
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => ((queries += 1), args.node),
    transformResult: async (args) => args.result,
  };
  return {
    url,
    queries: () => queries,
    process: async (options) => {
      const store: KyselyStore = await openPostgresStore(url, secrets);
      const session = await SessionConnection.open(url, 'dozen-test', { reconnectMs: 100 });
      const history = await PgLogHistory.open({ ...options, db: store.kysely.withPlugin(counter), notifier: new PgNotifier(session) });
      closers.push(async () => {
        await history.close();
        await session.close();
        await store.close();
      });
      return history;
    },
  };
}

describe('PgLogHistory: the log history conformance', () => {
  logHistoryConformance(async (options) => (await cluster()).process(options));
});

describe('PgLogHistory', () => {
  it('numbers the lines of two writing processes in one sequence per app, and wakes a reader in a third', async () => {
    const { process } = await cluster();
    const [one, two, reader] = await Promise.all([process({ maxLines: 10_000, maxBytes: 1 << 24 }), process({ maxLines: 10_000, maxBytes: 1 << 24 }), process({ maxLines: 10_000, maxBytes: 1 << 24 })]);
    let woken = 0;
    reader.watch('shop', () => (woken += 1));
    for (let i = 0; i < 300; i++) {
      one.append({ app: 'shop', source: 'app', process: 'web.1', message: `one ${i}` });
      two.append({ app: 'shop', source: 'app', process: 'web.2', message: `two ${i}` });
    }
    await Promise.all([one.flush(), two.flush()]);
    await eventually(() => woken > 0, 5000, 'the wake-up of the reader');
    const all = (await reader.recent('shop', 1000, {})).records;
    expect(all).toHaveLength(600);
    expect(all.map((r) => r.id)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect((all[i]?.timeMicros as number) > (all[i - 1]?.timeMicros as number)).toBe(true);
    // Each writer's own lines stay in the order it appended them.
    expect(all.filter((r) => r.process === 'web.1').map((r) => r.message)).toEqual(Array.from({ length: 300 }, (_, i) => `one ${i}`));
    expect(all.filter((r) => r.process === 'web.2').map((r) => r.message)).toEqual(Array.from({ length: 300 }, (_, i) => `two ${i}`));
  }, 30_000);

  it('writes a flood of one turn with a few statements, not one per line', async () => {
    const { queries, process } = await cluster();
    const writer = await process({ maxLines: 100_000, maxBytes: 1 << 30 });
    writer.append({ app: 'flood', source: 'app', process: 'web.1', message: 'warm-up' });
    await writer.flush();
    const before = queries();
    for (let i = 0; i < 1500; i++) writer.append({ app: 'flood', source: 'app', process: 'web.1', message: `line ${i} NUL\0here` });
    await writer.flush();
    // One transaction: begin, the apps' rows (insert, lock), one insert of the lines, the app's update, notify, commit.
    expect(queries() - before).toBeLessThanOrEqual(8);
    const last = (await writer.recent('flood', 1, {})).records[0];
    expect(last).toMatchObject({ id: 1501, message: 'line 1499 NUL\uFFFDhere' });
  }, 30_000);

  it('keeps the lines of a process while the database is away and writes them once it is back', async () => {
    const { url, process } = await cluster();
    const writer = await process({ maxLines: 1000, maxBytes: 1 << 24 });
    writer.append({ app: 'shop', source: 'app', process: 'web.1', message: 'before' });
    await writer.flush();
    // Writes fail while the table is not there (as while the server is away), then succeed.
    await withClient(url, async (client) => {
      await client.query('ALTER TABLE cluster_log_lines RENAME TO cluster_log_lines_away');
      writer.append({ app: 'shop', source: 'app', process: 'web.1', message: 'while away' });
      await writer.flush();
      expect((await client.query('SELECT id FROM cluster_log_lines_away')).rows).toEqual([{ id: '1' }]);
      await client.query('ALTER TABLE cluster_log_lines_away RENAME TO cluster_log_lines');
    });
    await eventually(async () => (await writer.recent('shop', 10, {})).records.length === 2, 5000, 'the retry');
    expect((await writer.recent('shop', 10, {})).records.map((r) => `${r.id} ${r.message}`)).toEqual(['1 before', '2 while away']);
  }, 30_000);
});
