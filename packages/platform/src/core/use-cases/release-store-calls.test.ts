import { testCoreSettings } from '../../test-support/core-settings.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import { testSecrets } from '../../test-support/sealer.js';
import { AppLocks } from '../app-locks.js';
import { BuildQueue } from '../build-queue.js';
import type { ActingDeps } from '../deps.js';
import type { BuiltSlug } from '../ports/build.js';
import type { Runtime, RunTarget } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { createBuild } from './builds.js';
import { updateConfig } from './config-vars.js';
import { result } from '../scorecard/catalogue.js';

/**
 * Issue 11: the release path loads the app's state once. A counting store (the real SQLite store,
 * in memory, every method call the core makes counted) holds config:set to 6 store calls and a
 * whole deploy (from the upload to the build record closed, its output saved) to 14.
 */
let deps: ActingDeps;
let calls: string[];
let rollouts: RunTarget[];
let ids = 0;

/** The store with every call the core makes to it recorded by method name (calls inside the store are not). */
function counting(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const built: BuiltSlug = {
  slugId: 'slug-2',
  digest: 'd',
  reused: false,
  buildpack: 'nodejs',
  processTypes: { web: 'node server.js', worker: 'node worker.js' },
  sizeBytes: 10,
  runtime: { nodeBinDir: null, healthchecks: {} },
  manifest: { env: {}, formation: {}, postdeploy: null },
};

beforeEach(async () => {
  calls = [];
  rollouts = [];
  const store = await openSqliteStore(':memory:', testSecrets());
  const runtime = {
    converge: () => undefined,
    rollout: async (target: RunTarget) => void rollouts.push(target),
  } as unknown as Runtime;
  deps = {
    store: counting(store),
    runtime,
    intake: { receive: async () => ({ location: 'src', dispose: async () => undefined }) },
    builder: {
      build: async () => built,
    },
    buildOutputs: { open: () => ({ line: () => undefined, close: () => '' }), follow: () => undefined },
    builds: new BuildQueue(1),
    logs: { append: () => undefined },
    clock: { now: () => new Date('2026-01-01T00:00:00Z'), after: () => () => undefined },
    ids: { next: () => `id${(ids++).toString().padStart(8, '0')}` },
    locks: new AppLocks(),
    settings: testCoreSettings(),
    gc: { kick: () => undefined, stop: async () => undefined },
    cron: { trigger: () => Promise.reject(new Error('no scheduler here')), stop: () => undefined },
    actor: 'admin',
  } as unknown as ActingDeps;
  // A deployed app with an add-on attached: v1 runs slug-1.
  await store.insertApp({ id: 'app-1', name: 'web', createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
  await store.insertSlug({ id: 'slug-1', appId: 'app-1', buildId: 'b1', processTypes: { web: 'node server.js' }, buildpack: 'nodejs', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00Z' });
  await store.insertAddon({ id: 'ad-1', name: 'postgres-1', provider: 'postgres', plan: 'dev', appId: 'app-1', url: 'postgres://db', resource: {}, createdAt: '2026-01-01T00:00:00Z' });
  await store.insertAttachment({ id: 'att-1', addonId: 'ad-1', appId: 'app-1', name: 'DATABASE_URL', createdAt: '2026-01-01T00:00:00Z' });
  await store.insertRelease({ id: 'r1', appId: 'app-1', version: 1, slugId: 'slug-1', buildId: 'b1', config: { A: '1', DATABASE_URL: 'postgres://db' }, description: 'Deploy', status: 'succeeded', failure: null, commit: null, createdAt: '2026-01-01T00:00:00Z', addonVars: ['DATABASE_URL'] });
  await store.setCurrentRelease('app-1', 1);
  await store.setFormation('app-1', { web: 1 });
  calls = [];
});

describe('store calls of the release path', () => {
  it('config:set: at most 6 (find the app, load its state, insert the release, mark it current)', async () => {
    const { release } = await updateConfig(deps, 'web', { B: '2' });
    expect(release).toMatchObject({ version: 2, status: 'succeeded', config: { A: '1', B: '2', DATABASE_URL: 'postgres://db' } });
    expect(rollouts.map((t) => t.release)).toEqual([2]);
    expect(calls.length, calls.join(', ')).toBeLessThanOrEqual(6);
  });

  it('deploy, the whole of it (build recorded, built, slug stored, released, build record closed with its output): at most 14', async () => {
    const { done } = await createBuild(deps, 'web', (async function* () {})());
    const build = await done;
    expect(build).toMatchObject({ status: 'succeeded', release: 2, slugId: 'slug-2' });
    expect(rollouts.map((t) => [t.release, t.slugId, t.formation])).toEqual([[2, 'slug-2', { web: 1, worker: 0 }]]);
    expect(calls.length, calls.join(', ')).toBeLessThanOrEqual(14);
  });
});

describe('the scorecard policy on the release path (issue 18)', () => {
  it('hands the required check ids (factors expanded) to the rollout', async () => {
    await deps.store.setRequiredChecks('app-1', ['XI']);
    await updateConfig(deps, 'web', { B: '2' });
    expect(rollouts.at(-1)?.requiredChecks).toEqual(['XI.no-log-files-in-code', 'XI.logs-to-stdout']);
  });

  it('stops a deploy whose required static check fails before its release is made; the build keeps its results', async () => {
    await deps.store.setRequiredChecks('app-1', ['III']);
    deps.builder.build = async () => ({ ...built, checks: [result('III.no-secrets-in-source', 'fail', ['config.js:2: an AWS access key id'])] });
    const build = await (await createBuild(deps, 'web', (async function* () {})())).done;
    expect(build).toMatchObject({ status: 'failed', release: null, error: { code: 'SCORECARD_REQUIRED_FAILED' } });
    expect(build.error?.message).toContain('config.js:2: an AWS access key id');
    expect(rollouts).toEqual([]);
    expect(await deps.store.latestReleaseVersion('app-1')).toBe(1);
    expect((await deps.store.findBuild('app-1', build.id))?.checks?.map((c) => c.status)).toEqual(['fail']);
  });
});
