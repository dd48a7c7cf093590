import { beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { testCoreSettings } from '../test-support/core-settings.js';
import { ManualClock, settle } from '../test-support/manual-clock.js';
import { testSecrets } from '../test-support/sealer.js';
import { AppLocks } from './app-locks.js';
import { CronScheduler } from './cron-scheduler.js';
import { applyAppJsonCron } from './use-cases/cron-jobs.js';
import type { CoreDeps } from './deps.js';
import type { CronJob, LogRecord } from './model.js';
import type { OneOff, OneOffRequest, Runtime } from './ports/runtime.js';

/** The scheduler on a manual clock, the real store (SQLite in memory) and a runtime that records one-offs. */
interface Started {
  name: string;
  command: string[];
  release: number;
  at: string;
  exit: (code: number) => void;
}

let clock: ManualClock;
let store: KyselyStore;
let started: Started[];
let lines: string[];
let deps: CoreDeps;
let scheduler: CronScheduler | null;

beforeEach(async () => {
  clock = new ManualClock('2026-03-01T10:20:30Z');
  store = await openSqliteStore(':memory:', testSecrets());
  started = [];
  lines = [];
  scheduler = null;
  const runtime = {
    runOneOff: (target, request: OneOffRequest): OneOff => {
      let exit: (code: number) => void = () => undefined;
      const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => (exit = (code) => resolve({ code, signal: null })));
      started.push({ name: request.name ?? '?', command: request.command, release: target.release, at: clock.now().toISOString(), exit });
      return { name: request.name ?? '?', exit: done, endStdin: () => undefined } as unknown as OneOff;
    },
  } as Partial<Runtime> as Runtime;
  deps = {
    store,
    runtime,
    clock,
    ids: { next: () => `id-${Math.random().toString(36).slice(2)}` },
    locks: new AppLocks(),
    settings: testCoreSettings(),
    logs: { append: (record: Omit<LogRecord, 'time'>) => void lines.push(`${record.source}[${record.process}]: ${record.message}`) },
  } as unknown as CoreDeps;
  await store.insertApp({ id: 'app-1', name: 'shop', createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
  await store.insertSlug({ id: 's1', appId: 'app-1', buildId: 'b1', processTypes: { web: 'node server.js' }, buildpack: 'procfile', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00Z' });
  await store.insertRelease({ id: 'r3', appId: 'app-1', version: 3, slugId: 's1', buildId: 'b1', config: {}, description: 'Deploy', status: 'succeeded', failure: null, commit: null, createdAt: '2026-01-01T00:00:00Z' });
  await store.setCurrentRelease('app-1', 3);
});

async function addJob(schedule: string, createdAt: string, id = 'job-1'): Promise<CronJob> {
  const job: CronJob = { id, appId: 'app-1', schedule, command: ['node', 'tasks/clean.js'], source: 'cli', createdAt };
  await store.insertCronJob(job);
  return job;
}

async function startScheduler(): Promise<CronScheduler> {
  scheduler = new CronScheduler(deps);
  await scheduler.start();
  await settle();
  return scheduler;
}

describe('the scheduler', () => {
  it('runs a `* * * * *` job at each minute boundary as scheduler.N of the current release, and records its exit', async () => {
    await addJob('* * * * *', '2026-03-01T10:20:00Z');
    await startScheduler();
    expect(started).toEqual([]);
    await clock.advance(29_000);
    expect(started).toEqual([]);
    await clock.advance(1_000);
    expect(started.map((s) => [s.name, s.at, s.release])).toEqual([['scheduler.1', '2026-03-01T10:21:00.000Z', 3]]);
    expect(lines).toContain('dozen[scheduler]: Starting process scheduler.1 with command `node tasks/clean.js` (job job-1, * * * * *)');
    started[0]?.exit(0);
    await settle();
    await clock.advance(60_000);
    expect(started.map((s) => [s.name, s.at])).toEqual([['scheduler.1', '2026-03-01T10:21:00.000Z'], ['scheduler.2', '2026-03-01T10:22:00.000Z']]);
    started[1]?.exit(3);
    await settle();
    const runs = await store.listCronRuns('app-1', { limit: 10 });
    expect(runs.map((r) => [r.process, r.status, r.exitCode, r.scheduledFor, r.trigger])).toEqual([
      ['scheduler.2', 'failed', 3, '2026-03-01T10:22:00.000Z', 'schedule'],
      ['scheduler.1', 'ran', 0, '2026-03-01T10:21:00.000Z', 'schedule'],
    ]);
    scheduler?.stop();
  });

  it('runs a job only in the minutes its expression names', async () => {
    await addJob('*/10 * * * *', '2026-03-01T10:20:10Z');
    await startScheduler();
    await clock.advance(9 * 60_000);
    expect(started).toEqual([]);
    await clock.advance(60_000);
    expect(started.map((s) => s.at)).toEqual(['2026-03-01T10:30:00.000Z']);
    scheduler?.stop();
  });

  it('skips a run while the previous one still runs, and says so', async () => {
    await addJob('* * * * *', '2026-03-01T10:20:00Z');
    await startScheduler();
    await clock.advance(30_000);
    await clock.advance(60_000);
    expect(started.map((s) => s.name)).toEqual(['scheduler.1']);
    expect(lines).toContain('dozen[scheduler]: Skipped job job-1 (`node tasks/clean.js`, due 2026-03-01T10:22:00.000Z): its previous run scheduler.1 is still running');
    const [skipped] = await store.listCronRuns('app-1', { limit: 1 });
    expect(skipped).toMatchObject({ status: 'skipped', process: null, note: 'its previous run scheduler.1 is still running' });
    started[0]?.exit(0);
    await settle();
    await clock.advance(60_000);
    expect(started.map((s) => s.name)).toEqual(['scheduler.1', 'scheduler.2']);
    scheduler?.stop();
  });

  it('runs a job missed while the platform was down once at start (only the latest missed time)', async () => {
    const job = await addJob('*/5 * * * *', '2026-03-01T09:00:00Z');
    await store.insertCronRun({ id: 'old', jobId: job.id, appId: 'app-1', scheduledFor: '2026-03-01T09:50:00.000Z', trigger: 'schedule', status: 'ran', process: 'scheduler.1', startedAt: '2026-03-01T09:50:00.000Z', finishedAt: '2026-03-01T09:50:01.000Z', exitCode: 0, note: null });
    await startScheduler();
    // Down from 09:51 to 10:20:30: 09:55 ... 10:20 were missed; 10:20 runs, once.
    expect(started.map((s) => [s.name, s.at])).toEqual([['scheduler.2', '2026-03-01T10:20:30.000Z']]);
    const [run] = await store.listCronRuns('app-1', { limit: 1 });
    expect(run).toMatchObject({ trigger: 'missed', scheduledFor: '2026-03-01T10:20:00.000Z' });
    expect(lines.some((l) => l.includes('missed at 2026-03-01T10:20:00.000Z, run once at start'))).toBe(true);
    started[0]?.exit(0);
    await settle();
    scheduler?.stop();
    // Started again in the same minute: nothing was missed since.
    await startScheduler();
    expect(started).toHaveLength(1);
    scheduler?.stop();
  });

  it('records a run the previous control plane did not see end as failed, at start', async () => {
    await addJob('0 3 * * *', '2026-03-01T09:00:00Z');
    const s = await startScheduler();
    const run = await s.trigger((await store.findApp('shop'))!, (await store.listCronJobs())[0]!);
    s.stop();
    await startScheduler();
    expect((await store.listCronRuns('app-1', { limit: 1 }))[0]).toMatchObject({ id: run.id, status: 'failed', note: 'the platform stopped while it ran; its end was not recorded' });
    scheduler?.stop();
  });

  it('does not run at start a job that was not due since it was created', async () => {
    await addJob('0 3 * * *', '2026-03-01T09:00:00Z');
    await startScheduler();
    expect(started).toEqual([]);
    scheduler?.stop();
  });

  it('runs a job now when triggered, and skips a trigger while it runs', async () => {
    const job = await addJob('0 3 * * *', '2026-03-01T09:00:00Z');
    const s = await startScheduler();
    const app = (await store.findApp('shop'))!;
    expect(await s.trigger(app, job)).toMatchObject({ status: 'running', process: 'scheduler.1', trigger: 'manual' });
    expect(await s.trigger(app, job)).toMatchObject({ status: 'skipped', process: null });
    expect(started.map((r) => r.command)).toEqual([['node', 'tasks/clean.js']]);
    s.stop();
  });
});

describe('app.json cron', () => {
  it('keeps the order of app.json entries that are written in the same millisecond, and a second deploy of the same list changes nothing', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({ command: `echo job-${i}`, schedule: `${i} * * * *` }));
    const app = (await store.findApp('shop'))!;
    const said: string[] = [];
    await applyAppJsonCron(deps, app, entries, (line) => said.push(line));
    expect((await store.listCronJobs(app.id)).map((job) => job.command[0])).toEqual(entries.map((entry) => entry.command));
    await applyAppJsonCron(deps, app, entries, (line) => said.push(line));
    expect(said).toEqual(['-----> Scheduled jobs from app.json: 12 (replacing 0)']);
  });
});
