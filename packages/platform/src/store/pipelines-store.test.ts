import { beforeEach, describe, expect, it } from 'vitest';
import { testSecrets } from '../test-support/sealer.js';
import type { KyselyStore } from './kysely-store.js';
import { openSqliteStore } from './sqlite.js';

/** Pipelines on the real store (SQLite, in memory): membership, review apps, what deletions take. */
let store: KyselyStore;
const at = '2026-01-01T00:00:00.000Z';

beforeEach(async () => {
  store = await openSqliteStore(':memory:', testSecrets());
  for (const [id, name] of [['a1', 'shop-staging'], ['a2', 'shop-prod'], ['a3', 'shop-pr-x']]) await store.insertApp({ id: id as string, name: name as string, createdAt: at, currentRelease: null });
  await store.insertPipeline({ id: 'p1', name: 'shop', createdAt: at, review: null });
  await store.setPipelineApp({ pipelineId: 'p1', appId: 'a1', stage: 'staging' });
  await store.setPipelineApp({ pipelineId: 'p1', appId: 'a2', stage: 'production' });
  await store.upsertReviewApp({ appId: 'a3', pipelineId: 'p1', branch: 'x', createdAt: at, lastPushAt: at });
});

describe('the pipelines store', () => {
  it('keeps one stage per app (setting it again moves the app), finds pipelines by name and id', async () => {
    await store.setPipelineApp({ pipelineId: 'p1', appId: 'a1', stage: 'development' });
    expect(await store.listPipelineApps('p1')).toEqual(expect.arrayContaining([{ pipelineId: 'p1', appId: 'a1', stage: 'development' }, { pipelineId: 'p1', appId: 'a2', stage: 'production' }]));
    expect(await store.listPipelineApps('p1')).toHaveLength(2);
    expect((await store.findPipeline('shop'))?.id).toBe('p1');
    expect((await store.findPipelineById('p1'))?.name).toBe('shop');
    await store.removePipelineApp('a1');
    expect(await store.findPipelineApp('a1')).toBeUndefined();
  });

  it('review settings round-trip; review apps by pipeline and branch, last push updated in place', async () => {
    await store.setReviewSettings('p1', { autodeploy: true, staleDays: 3, config: { TOKEN: 's3cret' } });
    expect((await store.findPipeline('shop'))?.review).toEqual({ autodeploy: true, staleDays: 3, config: { TOKEN: 's3cret' } });
    await store.upsertReviewApp({ appId: 'a3', pipelineId: 'p1', branch: 'x', createdAt: at, lastPushAt: '2026-01-02T00:00:00.000Z' });
    expect(await store.findReviewApp('p1', 'x')).toEqual({ appId: 'a3', pipelineId: 'p1', branch: 'x', createdAt: at, lastPushAt: '2026-01-02T00:00:00.000Z' });
    expect(await store.listReviewApps()).toHaveLength(1);
    await store.setReviewSettings('p1', null);
    expect((await store.findPipeline('shop'))?.review).toBeNull();
  });

  it('deleting an app takes its stage and review record; deleting a pipeline takes its rows and data key, not its apps', async () => {
    await store.deleteApp('a3');
    expect(await store.listReviewApps('p1')).toEqual([]);
    await store.deleteApp('a2');
    expect((await store.listPipelineApps('p1')).map((e) => e.appId)).toEqual(['a1']);
    await store.setReviewSettings('p1', { autodeploy: false, staleDays: 5, config: { A: '1' } });
    const keys = async () => (await store.kysely.selectFrom('data_keys').select('owner_id').execute()).map((r) => r.owner_id);
    expect(await keys()).toContain('p1');
    await store.deletePipeline('p1');
    expect(await store.findPipeline('shop')).toBeUndefined();
    expect(await store.findPipelineApp('a1')).toBeUndefined();
    expect(await keys()).not.toContain('p1');
    expect((await store.listApps()).map((a) => a.name)).toEqual(['shop-staging']);
  });
});
