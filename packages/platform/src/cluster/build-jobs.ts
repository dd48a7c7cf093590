import type { Kysely, Transaction } from 'kysely';
import { DozenError, errorCatalogue, isErrorCode } from '@dozen/contracts/errors';
import { dialectOf } from '../store/dialect.js';
import { sql } from '../store/kysely-runtime.js';
import type { Database } from '../store/schema.js';
import type { Notifier } from './cluster-ports.js';
import { Wakeup } from './wakeup.js';

/** The queue's tables (migration 021-build-jobs). */
interface JobTables {
  build_jobs: {
    id: string; kind: string; app_id: string; payload: string; state: string; attempts: number; claimed_by: string | null;
    heartbeat_at: number | null; cancel_requested: number; result: string | null; error: string | null; created_at: number;
  };
  build_job_events: { job_id: string; seq: number; kind: string; data: string };
}

export type BuildJobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type BuildJobEventKind = 'line' | 'phase' | 'warn' | 'chosen';
export interface BuildJobEvent { seq: number; kind: BuildJobEventKind; data: string }
export interface BuildJobError { code: string; message: string; hint: string }
export type BuildJobOutcome = { state: 'succeeded'; result: unknown } | { state: 'failed'; error: BuildJobError } | { state: 'cancelled' };
export interface ClaimedJob { id: string; kind: string; appId: string; payload: unknown; attempts: number }

/** Who is woken: builders when work is queued, followers of a job when it has news (payload: its id). */
export const JOBS_QUEUED_CHANNEL = 'dozen_build_jobs';
export const JOB_NEWS_CHANNEL = 'dozen_build_job';

export interface BuildJobsOptions {
  /** A running job whose heartbeat is older than this was lost with its builder: another claim takes it. */
  staleMs: number;
  /** Attempts before a lost job fails (BUILD_FAILED "the builder was lost"); default 2. */
  maxAttempts?: number;
  /** The fallback when no notification comes (a missed NOTIFY, an in-process store): default 1 s. */
  pollMs?: number;
  /** The clock of heartbeats and staleness (tests); default: the database's on PostgreSQL (hosts' clocks may differ), this process's on SQLite (one host). */
  now?: () => number;
}

/**
 * The build job queue in the store. The api enqueues and follows; builders claim (PostgreSQL:
 * `FOR UPDATE SKIP LOCKED`, so two builders never take one job; SQLite: one transaction at a
 * time), heartbeat, send events and finish. A claim whose builder stopped heartbeating is taken
 * again (attempts + 1) or, past `maxAttempts`, failed. Wake-ups go through the Notifier; every
 * wait also polls, so a lost notification only delays.
 */
export class BuildJobs {
  private readonly db: Kysely<JobTables>;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly now: (() => number) | null;

  constructor(db: Kysely<Database>, private readonly notifier: Notifier, private readonly options: BuildJobsOptions) {
    this.db = db as unknown as Kysely<JobTables>;
    this.maxAttempts = options.maxAttempts ?? 2;
    this.pollMs = options.pollMs ?? 1000;
    this.now = options.now ?? null;
  }

  /** Milliseconds since the epoch by the one clock every host shares (see BuildJobsOptions.now). */
  private async clock(db: Kysely<JobTables>): Promise<number> {
    if (this.now) return this.now();
    if (dialectOf(db) !== 'postgres') return Date.now();
    const { rows } = await sql<{ ms: string }>`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as ms`.execute(db);
    return Number(rows[0]?.ms);
  }

  async enqueue(job: { id: string; kind: string; appId: string; payload: unknown }): Promise<void> {
    const createdAt = await this.clock(this.db);
    await this.db.insertInto('build_jobs').values({
      id: job.id, kind: job.kind, app_id: job.appId, payload: JSON.stringify(job.payload), state: 'queued', attempts: 0,
      claimed_by: null, heartbeat_at: null, cancel_requested: 0, result: null, error: null, created_at: createdAt,
    }).execute();
    await this.notifier.notify(JOBS_QUEUED_CHANNEL, job.id).catch(() => undefined);
  }

  /** The oldest job that is queued or was lost, now claimed by `workerId`; null when there is none. */
  async claim(workerId: string): Promise<ClaimedJob | null> {
    for (;;) {
      const taken = await this.db.transaction().execute((trx) => this.claimIn(trx, workerId));
      if (taken === 'failed') continue;
      return taken;
    }
  }

  private async claimIn(trx: Transaction<JobTables>, workerId: string): Promise<ClaimedJob | null | 'failed'> {
    const now = await this.clock(trx);
    const staleBefore = now - this.options.staleMs;
    let query = trx.selectFrom('build_jobs').selectAll()
      .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]))
      .orderBy('created_at').orderBy('id').limit(1);
    if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
    const row = await query.executeTakeFirst();
    if (!row) return null;
    if (row.state === 'running' && row.attempts >= this.maxAttempts) {
      await this.failLost(trx, row.id, row.attempts);
      return 'failed';
    }
    const attempts = row.attempts + 1;
    await trx.updateTable('build_jobs').set({ state: 'running', attempts, claimed_by: workerId, heartbeat_at: now }).where('id', '=', row.id).execute();
    if (row.state === 'running') {
      const text = `The builder of this job was lost: attempt ${attempts} of ${this.maxAttempts} starts on another builder.`;
      await this.addEvents(trx, row.id, [{ kind: 'line', data: ` !     Warning: ${text}` }, { kind: 'warn', data: text }]);
    }
    return { id: row.id, kind: row.kind, appId: row.app_id, payload: JSON.parse(row.payload), attempts };
  }

  private async failLost(db: Kysely<JobTables>, id: string, attempts: number): Promise<void> {
    const error = new DozenError('BUILD_FAILED', `The build failed: the builder was lost (its heartbeat stopped), ${attempts} attempt${attempts === 1 ? '' : 's'} made.`);
    await db.updateTable('build_jobs').set({ state: 'failed', error: JSON.stringify(jobError(error)) }).where('id', '=', id).where('state', '=', 'running').execute();
    this.news(id);
  }

  /** `running` while the claim holds; `cancelled` (stop the build) or `lost` (another builder has it, or it ended). */
  async heartbeat(id: string, workerId: string): Promise<'running' | 'cancelled' | 'lost'> {
    const updated = await this.db.updateTable('build_jobs').set({ heartbeat_at: await this.clock(this.db) }).where('id', '=', id).where('claimed_by', '=', workerId).where('state', '=', 'running').executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return 'running';
    const row = await this.db.selectFrom('build_jobs').select(['state', 'claimed_by']).where('id', '=', id).executeTakeFirst();
    return row?.state === 'cancelled' && row.claimed_by === workerId ? 'cancelled' : 'lost';
  }

  /** Events of a job's build (dropped when the claim is no longer `workerId`'s). */
  async emit(id: string, workerId: string, events: { kind: BuildJobEventKind; data: string }[]): Promise<void> {
    if (events.length === 0) return;
    const written = await this.db.transaction().execute(async (trx) => {
      // The row locked (PostgreSQL) so that a re-claim waits: no event of a lost claim, no seq written twice.
      let query = trx.selectFrom('build_jobs').select(['claimed_by', 'state']).where('id', '=', id);
      if (dialectOf(trx) === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (row?.claimed_by !== workerId || row.state !== 'running') return false;
      await this.addEvents(trx, id, events);
      return true;
    });
    if (written) this.news(id);
  }

  private async addEvents(db: Kysely<JobTables>, id: string, events: { kind: BuildJobEventKind; data: string }[]): Promise<void> {
    const last = await db.selectFrom('build_job_events').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).where('job_id', '=', id).executeTakeFirst();
    const base = Number(last?.seq ?? 0);
    await db.insertInto('build_job_events').values(events.map((event, i) => ({ job_id: id, seq: base + i + 1, kind: event.kind, data: event.data }))).execute();
  }

  /** Ends the job with its result or error; false (nothing changed) when the claim was lost or the job cancelled. */
  async finish(id: string, workerId: string, outcome: { result: unknown } | { error: unknown }): Promise<boolean> {
    const set = 'result' in outcome ? { state: 'succeeded', result: JSON.stringify(outcome.result) } : { state: 'failed', error: JSON.stringify(jobError(outcome.error)) };
    const updated = await this.db.updateTable('build_jobs').set(set).where('id', '=', id).where('claimed_by', '=', workerId).where('state', '=', 'running').executeTakeFirst();
    this.news(id);
    return Number(updated.numUpdatedRows) > 0;
  }

  /** Gives a claimed job back to the queue at once (a builder stopping before the build ended); the attempt counts. */
  async release(id: string, workerId: string): Promise<void> {
    await this.db.updateTable('build_jobs').set({ state: 'queued', claimed_by: null, heartbeat_at: null }).where('id', '=', id).where('claimed_by', '=', workerId).where('state', '=', 'running').execute();
    await this.notifier.notify(JOBS_QUEUED_CHANNEL, id).catch(() => undefined);
  }

  /** Cancels a job that has not ended: its builder sees it at its next heartbeat and kills the build. */
  async cancel(id: string): Promise<void> {
    await this.db.updateTable('build_jobs').set({ state: 'cancelled', cancel_requested: 1 }).where('id', '=', id).where('state', 'in', ['queued', 'running']).execute();
    this.news(id);
  }

  /** Removes an ended job and its events (its follower has read them). */
  async forget(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const ended = await trx.deleteFrom('build_jobs').where('id', '=', id).where('state', 'in', ['succeeded', 'failed', 'cancelled']).executeTakeFirst();
      if (Number(ended.numDeletedRows) > 0) await trx.deleteFrom('build_job_events').where('job_id', '=', id).execute();
    });
  }

  /** Removes the jobs created more than `olderThanMs` ago that ended (or whose follower went away): a periodic sweep's work. */
  async sweep(olderThanMs: number): Promise<number> {
    const before = (await this.clock(this.db)) - olderThanMs;
    const ids = (await this.db.selectFrom('build_jobs').select('id').where('created_at', '<', before).where('state', 'in', ['succeeded', 'failed', 'cancelled']).execute()).map((row) => row.id);
    for (const id of ids) await this.forget(id);
    return ids.length;
  }

  async state(id: string): Promise<{ state: BuildJobState; attempts: number; claimedBy: string | null } | null> {
    const row = await this.db.selectFrom('build_jobs').select(['state', 'attempts', 'claimed_by']).where('id', '=', id).executeTakeFirst();
    return row ? { state: row.state as BuildJobState, attempts: row.attempts, claimedBy: row.claimed_by } : null;
  }

  /**
   * Follows a job until it ends: every event in order (`onEvent`), then the outcome. A running job
   * whose builder was lost past its last attempt is failed here too, so that a follower never waits
   * for a queue no builder serves any more.
   */
  async follow(id: string, onEvent: (event: BuildJobEvent) => void, signal?: AbortSignal): Promise<BuildJobOutcome> {
    const wakeup = new Wakeup();
    const stop = await this.notifier.listen(JOB_NEWS_CHANNEL, (payload) => payload === id && wakeup.fire()).catch(() => async () => undefined);
    let after = 0;
    try {
      for (;;) {
        const row = await this.db.selectFrom('build_jobs').selectAll().where('id', '=', id).executeTakeFirst();
        for (const event of await this.eventsAfter(id, after)) {
          after = event.seq;
          onEvent(event);
        }
        if (!row) throw new Error(`build job ${id} is gone`);
        const outcome = outcomeOf(row);
        if (outcome) return outcome;
        if (row.state === 'running' && row.attempts >= this.maxAttempts && (row.heartbeat_at ?? 0) < (await this.clock(this.db)) - this.options.staleMs) await this.failLost(this.db, id, row.attempts);
        if (signal?.aborted) throw signal.reason;
        await wakeup.wait(this.pollMs, signal);
      }
    } finally {
      await stop().catch(() => undefined);
    }
  }

  private async eventsAfter(id: string, after: number): Promise<BuildJobEvent[]> {
    const rows = await this.db.selectFrom('build_job_events').selectAll().where('job_id', '=', id).where('seq', '>', after).orderBy('seq').execute();
    return rows.map((row) => ({ seq: row.seq, kind: row.kind as BuildJobEventKind, data: row.data }));
  }

  /** Resolves when work may be waiting (a notification, or the poll interval), or at once when aborted. */
  async waitForWork(wakeup: Wakeup, signal?: AbortSignal): Promise<void> {
    await wakeup.wait(this.pollMs, signal);
  }

  /** Calls `onQueued` whenever a job is queued, until the returned function is called. */
  listenForWork(onQueued: () => void): Promise<() => Promise<void>> {
    return this.notifier.listen(JOBS_QUEUED_CHANNEL, onQueued);
  }

  private news(id: string): void {
    void this.notifier.notify(JOB_NEWS_CHANNEL, id).catch(() => undefined);
  }
}

function outcomeOf(row: JobTables['build_jobs']): BuildJobOutcome | null {
  if (row.state === 'succeeded') return { state: 'succeeded', result: JSON.parse(row.result ?? 'null') };
  if (row.state === 'failed') return { state: 'failed', error: JSON.parse(row.error ?? '{}') as BuildJobError };
  if (row.state === 'cancelled') return { state: 'cancelled' };
  return null;
}

/** A failure as the job keeps it: a DozenError's code, message and hint; anything else a BUILD_FAILED. */
export function jobError(error: unknown): BuildJobError {
  if (error instanceof DozenError) return { code: error.code, message: error.message, hint: error.hint };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'BUILD_FAILED', message: `The build failed: ${message}`, hint: errorCatalogue.BUILD_FAILED.hint };
}

/** The DozenError a job's error stands for (its code when the catalogue knows it). */
export function errorOfJob(error: BuildJobError): DozenError {
  return new DozenError(isErrorCode(error.code) ? error.code : 'BUILD_FAILED', error.message, { hint: error.hint });
}
