import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { testCoreSettings } from '../test-support/core-settings.js';
import { testSecrets } from '../test-support/sealer.js';
import { AppLocks } from './app-locks.js';
import type { CoreDeps } from './deps.js';
import { REVIEW_SWEEP_INTERVAL_MS, ReviewSweeper } from './review-sweeper.js';

/**
 * The daily check of review apps on the real store (SQLite, in memory) and a fake clock: time is
 * moved by the test, timers fire when it says; nothing sleeps.
 */
const DAY = 24 * 3600 * 1000;
let store: KyselyStore;
let deps: CoreDeps;
let now: number;
let timers: { at: number; fn: () => void }[];
let removed: string[];

async function fire(): Promise<void> {
  const due = timers.filter((t) => t.at <= now);
  timers = timers.filter((t) => t.at > now);
  for (const timer of due) timer.fn();
  // Let the check's store calls settle.
  for (let i = 0; i < 50; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function reviewApp(id: string, name: string, branch: string, lastPushAt: string): Promise<void> {
  await store.insertApp({ id, name, createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
  await store.upsertReviewApp({ appId: id, pipelineId: 'p1', branch, createdAt: '2026-01-01T00:00:00Z', lastPushAt });
}

beforeEach(async () => {
  store = await openSqliteStore(':memory:', testSecrets());
  now = Date.parse('2026-03-10T00:00:00Z');
  timers = [];
  removed = [];
  const none = () => undefined;
  deps = {
    store,
    clock: { now: () => new Date(now), after: (ms: number, fn: () => void) => { const timer = { at: now + ms, fn }; timers.push(timer); return () => (timers = timers.filter((t) => t !== timer)); } },
    locks: new AppLocks(),
    settings: testCoreSettings(),
    runtime: { remove: async (name: string) => void removed.push(name) },
    builder: { removeApp: async () => undefined },
    drains: { stop: none },
    git: { removeRepository: async () => undefined },
    domainRoutes: { setDomains: none },
    tlsRoutes: { setCertificates: none, setHttpsPolicy: none },
    logs: { append: none, forget: none },
    addons: { get: () => undefined },
  } as unknown as CoreDeps;
  await store.insertPipeline({ id: 'p1', name: 'shop', createdAt: '2026-01-01T00:00:00Z', review: { autodeploy: true, staleDays: 5, config: { GREETING: 'review' } } });
  await reviewApp('a-old', 'shop-pr-old', 'old', '2026-03-01T00:00:00Z');
  await reviewApp('a-fresh', 'shop-pr-fresh', 'fresh', '2026-03-08T00:00:00Z');
});

describe('the daily review-app check', () => {
  it('destroys review apps idle for the stale days on its first run, the others once they are, every day on the clock', async () => {
    const sweeper = new ReviewSweeper(deps, { info: () => undefined, error: () => undefined });
    sweeper.start(60_000);
    await fire();
    expect(removed).toEqual([]);
    now += 60_000;
    await fire();
    expect(removed).toEqual(['shop-pr-old']);
    expect((await store.listApps()).map((a) => a.name)).toEqual(['shop-pr-fresh']);
    expect((await store.listReviewApps()).map((r) => r.branch)).toEqual(['fresh']);
    // The next check is a day later; by then the fresh one is 3 days idle, kept; 2 days later it goes.
    expect(timers.map((t) => t.at - now)).toEqual([REVIEW_SWEEP_INTERVAL_MS]);
    now += DAY;
    await fire();
    expect(removed).toEqual(['shop-pr-old']);
    now += 2 * DAY;
    await fire();
    await fire();
    expect(removed).toEqual(['shop-pr-old', 'shop-pr-fresh']);
    expect(await store.listReviewApps()).toEqual([]);
    sweeper.stop();
    expect(timers).toEqual([]);
  });

  it('keeps the review apps of a pipeline whose review apps are off; the review config is sealed at rest', async () => {
    const raw = await store.kysely.selectFrom('pipelines').select('review_config').executeTakeFirstOrThrow();
    expect(raw.review_config).not.toContain('review');
    expect((await store.findPipeline('shop'))?.review?.config).toEqual({ GREETING: 'review' });
    await store.setReviewSettings('p1', null);
    now += 30 * DAY;
    expect(await new ReviewSweeper(deps, { info: () => undefined, error: () => undefined }).sweep()).toEqual([]);
    expect(removed).toEqual([]);
  });
});
