import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { SILENT_NOTIFIER } from '../test-support/in-process-notifier.js';
import { testSecrets } from '../test-support/sealer.js';
import { ArtefactSweep } from './artefact-sweep.js';
import { BuildJobs } from './build-jobs.js';
import { StoreArtefacts } from './store-artefacts.js';

let store: KyselyStore | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

async function* bytes(data: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(data);
}
const put = (artefacts: StoreArtefacts, name: string, data = name) => artefacts.put(name, createHash('sha256').update(data).digest('hex'), bytes(data));

describe('the sweep of left-over artefacts', () => {
  it('deletes old sources whose job ended or is gone and partial chunks seen for an hour; keeps slugs, live jobs\' sources and young ones', async () => {
    store = await openSqliteStore(':memory:', testSecrets());
    let now = T0;
    const artefacts = new StoreArtefacts(store.kysely, () => new Date(now));
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, now: () => now });
    for (const id of ['ended', 'running', 'queued']) {
      await jobs.enqueue({ id, kind: 'build', appId: 'app-1', payload: {} });
      now += 1;
    }
    now = T0;
    await jobs.claim('w1'); // 'ended'
    await jobs.finish('ended', 'w1', { result: 1 });
    await jobs.claim('w2'); // 'running'
    for (const name of ['source/ended', 'source/running', 'source/queued', 'source/gone', 'slug/app-1/s1']) await put(artefacts, name);
    // What an api that died mid-put leaves: chunks under a partial name, no artefact row.
    const chunks = store.kysely as unknown as Kysely<{ artefact_chunks: { name: string; seq: number; data: Uint8Array } }>;
    await chunks.insertInto('artefact_chunks').values({ name: 'partial/0b5c7c8e-7a63-4a5e-9d1e-3f0e8a1c2b3d', seq: 0, data: Buffer.from('x') }).execute();
    now = T0 + 5 * MINUTE;
    await put(artefacts, 'source/young');
    const sweep = new ArtefactSweep(artefacts, jobs, { sourceAfterMs: 3 * MINUTE });

    expect(await sweep.pass(now)).toEqual({ sources: 2, partials: 0 });
    const left = async (prefix: string) => (await artefacts.list(prefix)).map((a) => a.name).sort();
    expect(await left('source/')).toEqual(['source/queued', 'source/running', 'source/young']);
    expect(await left('slug/')).toEqual(['slug/app-1/s1']);
    expect(await artefacts.partials()).toHaveLength(1);

    now += 59 * MINUTE;
    expect(await sweep.pass(now)).toEqual({ sources: 1, partials: 0 });
    expect(await left('source/')).toEqual(['source/queued', 'source/running']);
    now += MINUTE;
    expect(await sweep.pass(now)).toEqual({ sources: 0, partials: 1 });
    expect(await artefacts.partials()).toEqual([]);
    expect(await left('slug/')).toEqual(['slug/app-1/s1']);
  });
});
