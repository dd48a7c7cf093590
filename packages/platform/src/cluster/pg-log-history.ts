import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { APP_NAME_PATTERN } from '../core/names.js';
import type { LogEvent, LogFilter, LogHistoryStats, LogRecord } from '../core/model.js';
import type { LogReader, LogSink } from '../core/ports/logs.js';
import { EARLY_FLUSH_LINES, MAX_LINE_BYTES, splitLongLine } from '../logs/log-bus.js';
import { AppWatchers } from '../logs/app-watchers.js';
import { recordTag } from '../logs/segment.js';
import type { Notifier } from './cluster-ports.js';
import { forgetHistory, historyStats, linesAfter, recentLines, writeLogBatch, type DroppedCounts, type StampedLine } from './pg-log-rows.js';

/** The channel that says "app X has new lines" (the payload is the app's name). */
export const LOG_CHANNEL = 'dozen_logs';

export interface PgLogHistoryOptions {
  /** The store's database (KyselyStore.kysely); the tables of migration 020-cluster-events. */
  db: Kysely<Database>;
  /** On the process's session connection (PgNotifier): wakes tails for lines written by other processes. */
  notifier: Notifier;
  /** Per app (DOZEN_LOG_LINES, and the byte bound LogBus has). */
  maxLines: number;
  maxBytes: number;
  /** Lines this process keeps queued while the database is slow or away; past it the oldest are dropped (counted). Default 100 000. */
  maxPending?: number;
  /** Microseconds since the epoch. */
  nowMicros?: () => number;
}

/**
 * The apps' log history in PostgreSQL, shared by every process of the cluster, with LogBus's
 * semantics (logs/log-bus.ts): `append` is synchronous; the lines queued in one turn of the event
 * loop (or sooner, once EARLY_FLUSH_LINES of one app are queued) are written by one transaction
 * (one INSERT of all of them, pg-log-rows.ts), and only then are this process's readers woken and
 * its taps (drains) fed; readers in other processes are woken by a NOTIFY on LOG_CHANNEL. Reads
 * in this process see every line it appended before. Writes are serialised per process; while
 * the database is away the lines wait (bounded) and are written when it is back.
 */
export class PgLogHistory implements LogSink, LogReader {
  private pending: StampedLine[] = [];
  private dropped: DroppedCounts = new Map();
  private readonly pendingPerApp = new Map<string, number>();
  private readonly lastMicros = new Map<string, number>();
  private readonly watchers = new AppWatchers();
  private readonly taps = new Set<(records: LogRecord[]) => void>();
  private readonly nowMicros: () => number;
  private readonly maxPending: number;
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private retry: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private closed = false;

  private constructor(private readonly options: PgLogHistoryOptions) {
    this.nowMicros = options.nowMicros ?? (() => Math.floor((performance.timeOrigin + performance.now()) * 1000));
    this.maxPending = options.maxPending ?? 100_000;
  }

  /** Listens on LOG_CHANNEL before it answers, so no line written after is missed by a watcher. */
  static async open(options: PgLogHistoryOptions): Promise<PgLogHistory> {
    const history = new PgLogHistory(options);
    history.unlisten = await options.notifier.listen(LOG_CHANNEL, (app) => history.wake(app));
    return history;
  }

  append(event: LogEvent): void {
    if (this.closed || !APP_NAME_PATTERN.test(event.app)) return;
    const timeMicros = Math.max(this.nowMicros(), (this.lastMicros.get(event.app) ?? 0) + 1);
    this.lastMicros.set(event.app, timeMicros);
    const messages = event.message.length * 3 <= MAX_LINE_BYTES ? [event.message] : splitLongLine(event.message);
    for (const message of messages) this.pending.push({ app: event.app, source: event.source, process: event.process, message, timeMicros });
    const queued = (this.pendingPerApp.get(event.app) ?? 0) + messages.length;
    this.pendingPerApp.set(event.app, queued);
    if (this.pending.length > this.maxPending) this.shed();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    if (queued >= EARLY_FLUSH_LINES && queued - messages.length < EARLY_FLUSH_LINES) process.nextTick(() => void this.flush());
  }

  /** Feeds every line this process writes (after it is stored) to `tap` (drains), until the returned function is called. */
  tap(listener: (records: LogRecord[]) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  async recent(app: string, lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }> {
    await this.flush();
    return recentLines(this.options.db, app, lines, filter);
  }

  async after(app: string, afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }> {
    await this.flush();
    return linesAfter(this.options.db, app, afterId, limit, filter);
  }

  watch(app: string, wake: () => void): () => void {
    return this.watchers.watch(app, wake);
  }

  async stats(app: string): Promise<LogHistoryStats> {
    if (!APP_NAME_PATTERN.test(app)) throw new Error(`not an app name: ${app}`);
    await this.flush();
    return historyStats(this.options.db, app);
  }

  /** Deletes the app's history (what this process still had queued for it too); never rejects. */
  forget(app: string): Promise<void> {
    if (!APP_NAME_PATTERN.test(app)) return Promise.resolve();
    this.pending = this.pending.filter((line) => line.app !== app);
    this.pendingPerApp.delete(app);
    this.dropped.delete(app);
    this.lastMicros.delete(app);
    const done = this.chain.then(() => forgetHistory(this.options.db, LOG_CHANNEL, app)).catch(() => undefined);
    this.chain = done;
    return done.then(() => this.wake(app));
  }

  /** Writes what is queued (after any write under way); resolves once it is stored, or could not be. */
  flush(): Promise<void> {
    this.scheduled = false;
    this.chain = this.chain.then(() => this.writeQueued());
    return this.chain;
  }

  /** Writes what is queued, stops listening; later lines are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.unlisten?.().catch(() => undefined);
  }

  private async writeQueued(): Promise<void> {
    if (this.pending.length === 0 && this.dropped.size === 0) return;
    const batch = this.pending;
    const dropped = this.dropped;
    this.pending = [];
    this.dropped = new Map();
    this.pendingPerApp.clear();
    let written: LogRecord[][];
    try {
      written = await writeLogBatch(this.options.db, LOG_CHANNEL, batch, dropped, this.options);
    } catch {
      // The database is away: the lines wait for the next try (bounded by maxPending).
      this.requeue(batch, dropped);
      return;
    }
    for (const records of written) {
      this.wake((records[0] as LogRecord).app);
      for (const tap of this.taps) {
        try {
          tap(records);
        } catch {
          // a failing tap must not stop the others, nor the stream
        }
      }
    }
  }

  private requeue(batch: StampedLine[], dropped: DroppedCounts): void {
    this.pending = batch.concat(this.pending);
    for (const [app, counts] of dropped) for (const [tag, n] of counts) this.countDropped(app, tag, n);
    if (this.pending.length > this.maxPending) this.shed();
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.flush();
    }, 1000);
    this.retry.unref();
  }

  /** Drops the oldest tenth of the queue (counted as dropped, per app and process). */
  private shed(): void {
    const gone = this.pending.splice(0, Math.max(1, this.pending.length - Math.floor(this.maxPending * 0.9)));
    for (const line of gone) this.countDropped(line.app, recordTag(line), 1);
  }

  private countDropped(app: string, tag: string, n: number): void {
    let counts = this.dropped.get(app);
    if (!counts) this.dropped.set(app, (counts = new Map()));
    counts.set(tag, (counts.get(tag) ?? 0) + n);
  }

  private wake(app: string): void {
    this.watchers.wakeApp(app);
  }
}
