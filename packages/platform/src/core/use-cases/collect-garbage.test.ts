import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import type { KyselyStore } from '../../store/kysely-store.js';
import { testCoreSettings } from '../../test-support/core-settings.js';
import { testSecrets } from '../../test-support/sealer.js';
import { AppLocks } from '../app-locks.js';
import { BuildQueue } from '../build-queue.js';
import type { ActingDeps } from '../deps.js';
import type { DataDisk, DiskArtifacts, DiskInventory } from '../ports/data-disk.js';
import type { Runtime } from '../ports/runtime.js';
import { collectGarbage } from './collect-garbage.js';
import { rollback } from './releases.js';

/**
 * The executor of garbage collection on the real store (SQLite, in memory) and a disk that lists
 * what the test says and records what it is told to remove.
 */
let deps: ActingDeps;
let store: KyselyStore;
let removed: DiskArtifacts[];
let onInventory: () => void;
let forgotten: { appId: string; slugId: string }[];

const SLUGS = Array.from({ length: 13 }, (_, i) => `s${i + 1}`);

beforeEach(async () => {
  removed = [];
  forgotten = [];
  onInventory = () => undefined;
  store = await openSqliteStore(':memory:', testSecrets());
  const inventory = (): DiskInventory => ({ slugs: SLUGS.map((slugId) => ({ appId: 'app-1', slugId })), appDirs: [{ appId: 'app-1', area: 'slugs' }, { appId: 'gone', area: 'cache' }], runtimes: [], builds: [] });
  const disk = {
    inventory: async () => {
      onInventory();
      return inventory();
    },
    remove: async (items: DiskArtifacts) => void removed.push(items),
  } as unknown as DataDisk;
  deps = {
    store,
    disk,
    runtime: { rollout: async () => undefined, converge: () => undefined } as unknown as Runtime,
    builds: new BuildQueue(2),
    builder: { forgetSlugs: async (slugs: { appId: string; slugId: string }[]) => void forgotten.push(...slugs) },
    locks: new AppLocks(),
    logs: { append: () => undefined },
    clock: { now: () => new Date('2026-03-01T00:00:00Z'), after: () => () => undefined },
    ids: { next: () => `id-${Math.random()}` },
    settings: testCoreSettings(),
    gc: { kick: () => undefined, stop: async () => undefined },
    cron: { trigger: () => Promise.reject(new Error('no scheduler here')), stop: () => undefined },
    actor: 'admin',
  } as unknown as ActingDeps;
  await store.insertApp({ id: 'app-1', name: 'web', createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
  for (const [i, slugId] of SLUGS.entries()) {
    await store.insertSlug({ id: slugId, appId: 'app-1', buildId: `b${i + 1}`, processTypes: { web: 'node server.js' }, buildpack: 'procfile', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00Z' });
    await store.insertRelease({ id: `r${i + 1}`, appId: 'app-1', version: i + 1, slugId, buildId: `b${i + 1}`, config: {}, description: `Deploy ${i + 1}`, status: 'succeeded', failure: null, commit: null, createdAt: '2026-01-01T00:00:00Z' });
  }
  await store.setCurrentRelease('app-1', 13);
});

describe('garbage collection, carried out', () => {
  it('marks and removes the slugs before the window, the dirs of apps that are gone; a rollback to one is refused', async () => {
    const report = await collectGarbage(deps);
    expect(report).toMatchObject({ collectedSlugs: 3, removedSlugDirs: 3, removedAppDirs: 1, keptSlugs: 10 });
    expect(removed[0]?.slugs.map((s) => s.slugId)).toEqual(['s1', 's2', 's3']);
    expect(removed[0]?.appDirs).toEqual([{ appId: 'gone', area: 'cache' }]);
    // Their copies elsewhere (the roles' artefacts) go through the builder, once.
    expect(forgotten).toEqual(['s1', 's2', 's3'].map((slugId) => ({ appId: 'app-1', slugId })));
    expect((await store.listSlugs()).filter((s) => s.collectedAt).map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    await expect(rollback(deps, 'web', 3)).rejects.toMatchObject({ code: 'SLUG_COLLECTED', message: expect.stringContaining('v3 of web is outside the rollback window: its slug s3 was collected at 2026-03-01T00:00:00.000Z') });
    await expect(rollback(deps, 'web', 4)).resolves.toMatchObject({ release: { version: 14, slugId: 's4' } });
    // The next run has nothing more to do.
    expect(await collectGarbage(deps)).toMatchObject({ collectedSlugs: 0, removedSlugDirs: 3 });
    expect(forgotten).toHaveLength(3);
  });

  it('leaves an app alone while its build runs', async () => {
    let finish = () => undefined as void;
    onInventory = () => void deps.builds.run('app-1', () => new Promise<void>((done) => (finish = done)));
    expect(await collectGarbage(deps)).toMatchObject({ collectedSlugs: 0, removedSlugDirs: 0, removedAppDirs: 1 });
    expect((await store.listSlugs()).filter((s) => s.collectedAt)).toEqual([]);
    expect(forgotten).toEqual([]);
    finish();
  });

  it('leaves an app alone whose build started after the plan was made (checked again under its lock)', async () => {
    let finish = () => undefined as void;
    const locks = deps.locks;
    deps.locks = { run: (appId: string, fn: () => Promise<unknown>) => {
      void deps.builds.run(appId, () => new Promise<void>((done) => (finish = done)));
      return locks.run(appId, fn);
    } } as unknown as AppLocks;
    expect(await collectGarbage(deps)).toMatchObject({ collectedSlugs: 0, removedSlugDirs: 0 });
    expect(removed[0]?.slugs).toEqual([]);
    expect((await store.listSlugs()).filter((s) => s.collectedAt)).toEqual([]);
    finish();
  });
});
