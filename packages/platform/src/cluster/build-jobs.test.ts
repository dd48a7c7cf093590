import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { sql } from '../store/kysely-runtime.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { InProcessNotifier, SILENT_NOTIFIER } from '../test-support/in-process-notifier.js';
import { PostgresDatabases } from '../test-support/postgres-databases.js';
import { testSecrets } from '../test-support/sealer.js';
import { BuildJobs, type BuildJobEvent } from './build-jobs.js';

const databases = new PostgresDatabases();
const stores: KyselyStore[] = [];
beforeAll(() => databases.start(), 60_000);
afterAll(async () => {
  for (const store of stores) await store.close();
  await databases.stop();
}, 60_000);

async function postgres(): Promise<KyselyStore> {
  const store = await openPostgresStore(await databases.fresh(), testSecrets());
  stores.push(store);
  return store;
}

/** A clock the test moves: heartbeats are as old as the test says. */
function clock(): { now: () => number; advance(ms: number): void } {
  let at = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => at, advance: (ms) => (at += ms) };
}

const job = (id: string) => ({ id, kind: 'build', appId: 'app-1', payload: { buildId: id } });

describe('the build job queue on PostgreSQL', () => {
  it('gives a job to one builder only when many claim at once (FOR UPDATE SKIP LOCKED), oldest first', async () => {
    const store = await postgres();
    const time = clock();
    const jobs = new BuildJobs(store.kysely, new InProcessNotifier(), { staleMs: 10_000, now: time.now });
    for (const id of ['j1', 'j2', 'j3']) {
      await jobs.enqueue(job(id));
      time.advance(1);
    }
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => jobs.claim(`worker-${i}`)));
    const taken = claims.filter((c) => c !== null);
    expect(taken.map((c) => c.id).sort()).toEqual(['j1', 'j2', 'j3']);
    expect(taken.every((c) => c.attempts === 1)).toBe(true);
    expect(await jobs.claim('late')).toBeNull();
    const holders = await Promise.all(['j1', 'j2', 'j3'].map(async (id) => (await jobs.state(id))?.claimedBy));
    expect(new Set(holders).size).toBe(3);
  });

  it('hands the events of a build to its follower in order, then the result; a lost claim can no longer write', async () => {
    const store = await postgres();
    const notifier = new InProcessNotifier();
    const jobs = new BuildJobs(store.kysely, notifier, { staleMs: 10_000, pollMs: 60_000 });
    await jobs.enqueue(job('j1'));
    const seen: BuildJobEvent[] = [];
    const following = jobs.follow('j1', (event) => seen.push(event));
    const claimed = await jobs.claim('w1');
    expect(claimed).toMatchObject({ id: 'j1', kind: 'build', appId: 'app-1', payload: { buildId: 'j1' } });
    await jobs.emit('j1', 'w1', [{ kind: 'line', data: '-----> one' }, { kind: 'phase', data: '{"name":"detect","ms":3}' }]);
    await jobs.emit('j1', 'someone-else', [{ kind: 'line', data: 'not mine' }]);
    await jobs.emit('j1', 'w1', [{ kind: 'warn', data: 'careful' }, { kind: 'chosen', data: 'node' }]);
    expect(await jobs.finish('j1', 'someone-else', { result: { slugId: 'wrong' } })).toBe(false);
    expect(await jobs.finish('j1', 'w1', { result: { slugId: 's1' } })).toBe(true);
    // The poll is a minute: only the notifications can have woken the follower this soon.
    expect(await following).toEqual({ state: 'succeeded', result: { slugId: 's1' } });
    expect(seen.map((e) => [e.seq, e.kind, e.data])).toEqual([[1, 'line', '-----> one'], [2, 'phase', '{"name":"detect","ms":3}'], [3, 'warn', 'careful'], [4, 'chosen', 'node']]);
    expect(await jobs.finish('j1', 'w1', { error: new Error('late') })).toBe(false);
  });

  it('records a failure as code, message and hint', async () => {
    const store = await postgres();
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, pollMs: 20 });
    await jobs.enqueue(job('j1'));
    await jobs.claim('w1');
    await jobs.finish('j1', 'w1', { error: new DozenError('BUILD_DETECT_FAILED', 'No buildpack recognised the app.') });
    expect(await jobs.follow('j1', () => undefined)).toEqual({ state: 'failed', error: { code: 'BUILD_DETECT_FAILED', message: 'No buildpack recognised the app.', hint: expect.any(String) } });
  });

  it('takes a job whose builder stopped heartbeating again (attempts + 1), and fails it past 2 attempts: "the builder was lost"', async () => {
    const store = await postgres();
    const time = clock();
    const jobs = new BuildJobs(store.kysely, new InProcessNotifier(), { staleMs: 10_000, pollMs: 20, now: time.now });
    await jobs.enqueue(job('j1'));
    expect((await jobs.claim('w1'))?.attempts).toBe(1);
    time.advance(9_000);
    expect(await jobs.heartbeat('j1', 'w1')).toBe('running');
    time.advance(9_000);
    // Heartbeats keep it: 9 s since the last one.
    expect(await jobs.claim('w2')).toBeNull();
    time.advance(2_000);
    expect((await jobs.claim('w2'))?.attempts).toBe(2);
    expect(await jobs.heartbeat('j1', 'w1')).toBe('lost');
    expect(await jobs.finish('j1', 'w1', { result: 'stale' })).toBe(false);
    time.advance(10_001);
    expect(await jobs.claim('w3')).toBeNull();
    const outcome = await jobs.follow('j1', () => undefined);
    expect(outcome).toMatchObject({ state: 'failed', error: { code: 'BUILD_FAILED', message: expect.stringContaining('the builder was lost') } });
  });

  it('judges heartbeats by the database\'s clock: a builder whose host clock runs an hour ahead steals no live job', async () => {
    const store = await postgres();
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, pollMs: 20 });
    await jobs.enqueue(job('j1'));
    await jobs.claim('w1');
    expect(await jobs.heartbeat('j1', 'w1')).toBe('running');
    const ahead = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000);
    try {
      expect(await jobs.claim('w2')).toBeNull();
    } finally {
      ahead.mockRestore();
    }
    expect(await jobs.state('j1')).toMatchObject({ claimedBy: 'w1', attempts: 1 });
  });

  it('writes no event of a claim that moved while the event waited for the job\'s row (FOR UPDATE)', async () => {
    const store = await postgres();
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, pollMs: 20 });
    await jobs.enqueue(job('j1'));
    await jobs.claim('w1');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another builder re-claims the job (as claimIn does: the row locked, then the claim moved).
    const reclaim = store.kysely.transaction().execute(async (trx) => {
      await sql`select id from build_jobs where id = 'j1' for update`.execute(trx);
      locked();
      await held;
      await sql`update build_jobs set claimed_by = 'w2', attempts = 2 where id = 'j1'`.execute(trx);
    });
    await isLocked;
    const emitting = jobs.emit('j1', 'w1', [{ kind: 'line', data: 'from the lost claim' }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await reclaim;
    await emitting;
    const lines: string[] = [];
    await jobs.finish('j1', 'w2', { result: 1 });
    await jobs.follow('j1', (event) => lines.push(event.data));
    expect(lines).toEqual([]);
  });

  it('fails a lost job for its follower even when no builder claims any more', async () => {
    const store = await postgres();
    const time = clock();
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, pollMs: 20, now: time.now, maxAttempts: 1 });
    await jobs.enqueue(job('j1'));
    await jobs.claim('w1');
    const events: string[] = [];
    const following = jobs.follow('j1', (event) => events.push(event.data));
    time.advance(10_001);
    expect(await following).toMatchObject({ state: 'failed', error: { code: 'BUILD_FAILED' } });
  });

  it('cancels: a queued job is never claimed, a running one tells its builder at the next heartbeat', async () => {
    const store = await postgres();
    const jobs = new BuildJobs(store.kysely, new InProcessNotifier(), { staleMs: 10_000, pollMs: 20 });
    await jobs.enqueue(job('queued'));
    await jobs.cancel('queued');
    expect(await jobs.claim('w1')).toBeNull();
    await jobs.enqueue(job('running'));
    await jobs.claim('w1');
    await jobs.cancel('running');
    expect(await jobs.heartbeat('running', 'w1')).toBe('cancelled');
    expect(await jobs.follow('running', () => undefined)).toEqual({ state: 'cancelled' });
    await jobs.enqueue(job('given-back'));
    await jobs.claim('w1');
    await jobs.release('given-back', 'w1');
    expect(await jobs.claim('w2')).toMatchObject({ id: 'given-back', attempts: 2 });
  });
});

describe('ended jobs leave the queue', () => {
  it('forgets an ended job with its events, never a running one; the sweep takes old ended ones', async () => {
    const store = await openSqliteStore(':memory:', testSecrets());
    stores.push(store);
    const time = clock();
    const jobs = new BuildJobs(store.kysely, SILENT_NOTIFIER, { staleMs: 10_000, pollMs: 20, now: time.now });
    for (const id of ['done', 'running', 'old']) await jobs.enqueue(job(id));
    for (const id of ['done', 'running', 'old']) {
      const claimed = await jobs.claim(id);
      await jobs.emit(claimed!.id, id, [{ kind: 'line', data: 'x' }]);
    }
    const claimedBy = async (id: string) => (await jobs.state(id))!.claimedBy!;
    await jobs.finish('done', await claimedBy('done'), { result: 1 });
    await jobs.finish('old', await claimedBy('old'), { result: 2 });
    await jobs.forget('done');
    await jobs.forget('running');
    expect(await jobs.state('done')).toBeNull();
    expect(await jobs.state('running')).toMatchObject({ state: 'running' });
    time.advance(60_000);
    expect(await jobs.sweep(30_000)).toBe(1);
    expect(await jobs.state('old')).toBeNull();
    const events = await (store.kysely as unknown as Kysely<{ build_job_events: { job_id: string } }>).selectFrom('build_job_events').select('job_id').execute();
    expect(events.map((e) => e.job_id)).toEqual(['running']);
  });
});

describe('the build job queue on SQLite (one process: a plain transaction)', () => {
  it('claims, follows and finishes', async () => {
    const store = await openSqliteStore(':memory:', testSecrets());
    stores.push(store);
    const jobs = new BuildJobs(store.kysely, new InProcessNotifier(), { staleMs: 10_000, pollMs: 20 });
    await jobs.enqueue(job('j1'));
    await jobs.enqueue(job('j2'));
    const claims = await Promise.all([jobs.claim('a'), jobs.claim('b'), jobs.claim('c')]);
    expect(claims.filter((c) => c !== null).map((c) => c.id).sort()).toEqual(['j1', 'j2']);
    const holder = (await jobs.state('j1'))!.claimedBy!;
    await jobs.emit('j1', holder, [{ kind: 'line', data: 'hello' }]);
    await jobs.finish('j1', holder, { result: 42 });
    const lines: string[] = [];
    expect(await jobs.follow('j1', (event) => lines.push(event.data))).toEqual({ state: 'succeeded', result: 42 });
    expect(lines).toEqual(['hello']);
  });
});
