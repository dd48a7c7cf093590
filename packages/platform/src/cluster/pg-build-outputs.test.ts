import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../store/kysely-store.js';
import { SessionConnection } from '../store/pg-session-connection.js';
import { openPostgresStore } from '../store/postgres.js';
import { freshClusterDatabase } from '../test-support/cluster-database.js';
import { startExternalPostgres, type ExternalPostgres } from '../test-support/external-postgres.js';
import { withClient } from '../test-support/pg-resource-client.js';
import { testSecrets } from '../test-support/sealer.js';
import { WRITER_GONE_NOTICE } from './pg-build-output-follower.js';
import { PgBuildOutputs, TRUNCATED_NOTICE, type PgBuildOutputsOptions } from './pg-build-outputs.js';
import { PgNotifier } from './pg-notifier.js';

let server: ExternalPostgres;
let url: string;
let store: KyselyStore;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startExternalPostgres({ throwaway: true });
  url = await freshClusterDatabase(server, 'outputs');
  store = await openPostgresStore(url, testSecrets());
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await store?.close();
  await server?.stop();
}, 60_000);

/** One "process": its session connection and its PgBuildOutputs, on the shared database. */
async function processOutputs(options: Partial<PgBuildOutputsOptions> = {}): Promise<{ outputs: PgBuildOutputs; session: SessionConnection; queries(): number }> {
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => ((queries += 1), args.node),
    transformResult: async (args) => args.result,
  };
  const session = await SessionConnection.open(url, 'dozen-test');
  const outputs = await PgBuildOutputs.open({ db: store.kysely.withPlugin(counter), notifier: new PgNotifier(session), session, pollMs: 5000, ...options });
  closers.push(async () => {
    await outputs.close();
    await session.close();
  });
  return { outputs, session, queries: () => queries };
}

async function collect(iterable: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of iterable) text += chunk;
  return text;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('PgBuildOutputs', () => {
  it('lets another process follow a build from its first line to its end, and one that comes after read it all', async () => {
    const api1 = await processOutputs();
    const api2 = await processOutputs();
    const writer = api1.outputs.open('build-1');
    writer.line('-----> first');
    await api1.outputs.settled();
    const following = collect(api2.outputs.follow('build-1'));
    const before = api1.queries();
    for (let i = 0; i < 1000; i++) writer.line(`line ${i}`);
    await turn();
    await api1.outputs.settled();
    // One turn's lines: one INSERT and its NOTIFY.
    expect(api1.queries() - before).toBeLessThanOrEqual(2);
    writer.line('-----> done');
    const whole = writer.close();
    expect(whole.split('\n')).toHaveLength(1003);
    expect(await following).toBe(whole);
    await api1.outputs.settled();
    expect(await collect(api2.outputs.follow('build-1'))).toBe(whole);
    // The writer's own process reads it too, also once it is closed (from the table then).
    expect(await collect(api1.outputs.follow('build-1'))).toBe(whole);
  }, 30_000);

  it('waits for an output that is opened a moment later, answers what the store kept of an ended build, and gives up on one never opened', async () => {
    const api1 = await processOutputs();
    const api2 = await processOutputs({ waitForOpenMs: 1500, pollMs: 300, stored: async (id) => (id === 'build-old' ? 'kept output\n' : null) });
    const early = collect(api2.outputs.follow('build-2'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writer = api1.outputs.open('build-2');
    writer.line('hello');
    writer.close();
    expect(await early).toBe('hello\n');
    expect(await collect(api2.outputs.follow('build-old'))).toBe('kept output\n');
    const started = Date.now();
    expect(await collect(api2.outputs.follow('build-never'))).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  }, 30_000);

  it('ends a follow, with a notice, when the writing process dies before closing the output', async () => {
    const api1 = await processOutputs();
    const api2 = await processOutputs({ pollMs: 200 });
    const writer = api1.outputs.open('build-3');
    writer.line('step one');
    await turn();
    await api1.outputs.settled();
    const following = collect(api2.outputs.follow('build-3'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await api1.session.close();
    expect(await following).toBe(`step one\n${WRITER_GONE_NOTICE}`);
  }, 30_000);

  it('bounds an output at 16 MiB, as BuildOutputHub does, for followers elsewhere too', async () => {
    const api1 = await processOutputs();
    const api2 = await processOutputs();
    const writer = api1.outputs.open('build-4');
    const following = collect(api2.outputs.follow('build-4'));
    const chunk = 'x'.repeat(64 * 1024 - 1);
    for (let i = 0; i < 270; i++) {
      writer.line(chunk);
      if (i % 50 === 0) await turn();
    }
    const whole = writer.close();
    expect(whole.endsWith(TRUNCATED_NOTICE)).toBe(true);
    expect(whole.length).toBeLessThanOrEqual(16 * 1024 * 1024 + TRUNCATED_NOTICE.length);
    expect(whole.split(TRUNCATED_NOTICE)).toHaveLength(2);
    expect(await following).toBe(whole);
  }, 60_000);

  it('keeps the newest finished outputs in the tables, and removes those a dead writer left open long ago', async () => {
    const api1 = await processOutputs({ keepFinished: 2 });
    const stale = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await withClient(url, (client) => client.query("INSERT INTO cluster_build_outputs (build_id, writer_pid, writer_start, opened_at) VALUES ('build-stale', 1, 'never', $1)", [stale]));
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      const writer = api1.outputs.open(id);
      writer.line(`output of ${id}`);
      writer.close();
      await api1.outputs.settled();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const kept = await withClient(url, async (client) => (await client.query<{ build_id: string }>("SELECT build_id FROM cluster_build_outputs WHERE build_id IN ('r1', 'r2', 'r3', 'r4', 'build-stale') ORDER BY build_id")).rows.map((r) => r.build_id));
    expect(kept).toEqual(['r3', 'r4']);
    const lines = await withClient(url, async (client) => (await client.query<{ build_id: string }>("SELECT DISTINCT build_id FROM cluster_build_output_lines WHERE build_id IN ('r1', 'r2', 'r3', 'r4') ORDER BY build_id")).rows.map((r) => r.build_id));
    expect(lines).toEqual(['r3', 'r4']);
    const api2 = await processOutputs({ stored: async (id) => (id === 'r1' ? 'output of r1 (kept with the build)\n' : undefined) });
    expect(await collect(api2.outputs.follow('r4'))).toBe('output of r4\n');
    expect(await collect(api2.outputs.follow('r1'))).toBe('output of r1 (kept with the build)\n');
  }, 30_000);
});
