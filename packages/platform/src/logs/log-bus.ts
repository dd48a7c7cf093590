import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NAME_PATTERN } from '../core/names.js';
import type { LogEvent, LogFilter, LogHistoryStats, LogRecord } from '../core/model.js';
import type { LogReader, LogSink } from '../core/ports/logs.js';
import { AppHistory, type HistoryLimits } from './app-history.js';
import { AppWatchers } from './app-watchers.js';

/** Heroku splits lines longer than this many bytes into several lines. */
export const MAX_LINE_BYTES = 10_000;

/**
 * An app with this many lines queued is flushed before the turn of the event loop ends (between
 * two reads of its pipes): a flooding app fills hundreds of thousands of lines in one turn, and
 * drains and tails should get them in steps, not in one burst that overflows a drain's buffer.
 */
export const EARLY_FLUSH_LINES = 2000;

export interface LogBusOptions extends Partial<HistoryLimits> {
  /** Where each app's history lives: `<dir>/<app>/`. */
  dir: string;
  maxLines: number;
  maxBytes: number;
  /** Microseconds since the epoch. */
  nowMicros?: () => number;
}

/**
 * One time-ordered stream per app. `append` is synchronous and O(1): it stamps the line (id,
 * time) and queues it; once per event-loop turn (or sooner, once EARLY_FLUSH_LINES are queued)
 * the queued lines are written to the app's history on disk, and only then are readers woken and
 * taps (drains) fed. So a line is on disk before anyone sees it, and nobody reading can slow down
 * whoever writes.
 */
export class LogBus implements LogSink, LogReader {
  private readonly histories = new Map<string, AppHistory>();
  private readonly watchers = new AppWatchers();
  private readonly taps = new Set<(records: LogRecord[]) => void>();
  private readonly nowMicros: () => number;
  private flushScheduled = false;
  private earlyFlushScheduled = false;
  private closed = false;

  constructor(private readonly options: LogBusOptions) {
    this.nowMicros = options.nowMicros ?? (() => Math.floor((performance.timeOrigin + performance.now()) * 1000));
  }

  append(event: LogEvent): void {
    if (this.closed || !APP_NAME_PATTERN.test(event.app)) return;
    const history = this.historyOf(event.app);
    const now = this.nowMicros();
    if (event.message.length * 3 <= MAX_LINE_BYTES) history.stamp(event, now);
    else for (const message of splitLongLine(event.message)) history.stamp({ ...event, message }, now);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    if (!this.earlyFlushScheduled && history.pendingLines >= EARLY_FLUSH_LINES) {
      this.earlyFlushScheduled = true;
      process.nextTick(() => {
        this.earlyFlushScheduled = false;
        if (!this.closed) this.flush();
      });
    }
  }

  /** Feeds every flushed line of every app to `tap` (drains), until the returned function is called. */
  tap(listener: (records: LogRecord[]) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  async recent(app: string, lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }> {
    return this.readable(app).recent(lines, filter);
  }

  async after(app: string, afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }> {
    return this.readable(app).after(afterId, limit, filter);
  }

  watch(app: string, wake: () => void): () => void {
    return this.watchers.watch(app, wake);
  }

  stats(app: string): LogHistoryStats {
    return this.readable(app).stats();
  }

  forget(app: string): void {
    if (!APP_NAME_PATTERN.test(app)) return;
    const history = this.histories.get(app);
    this.histories.delete(app);
    history?.close();
    rmSync(join(this.options.dir, app), { recursive: true, force: true });
    this.watchers.wakeApp(app);
  }

  /** Writes what is queued and closes every file (at shutdown); later lines are ignored. */
  close(): void {
    this.flush();
    this.closed = true;
    for (const history of this.histories.values()) history.close();
    this.histories.clear();
  }

  /** Writes every app's queued lines, then wakes readers and feeds taps. */
  flush(): void {
    const written: LogRecord[][] = [];
    for (const history of this.histories.values()) {
      if (!history.hasPending) continue;
      const records = history.flush();
      if (records.length === 0) continue;
      written.push(records);
      this.watchers.wakeApp(history.app);
    }
    for (const records of written) {
      for (const tap of this.taps) {
        try {
          tap(records);
        } catch {
          // a failing tap must not stop the others, nor the stream
        }
      }
    }
  }

  /** Reads see every line appended so far. */
  private readable(app: string): AppHistory {
    const history = this.historyOf(app);
    if (history.hasPending) this.flush();
    return history;
  }

  private historyOf(app: string): AppHistory {
    let history = this.histories.get(app);
    if (!history) {
      if (!APP_NAME_PATTERN.test(app)) throw new Error(`not an app name: ${app}`);
      const limits: HistoryLimits = { maxLines: this.options.maxLines, maxBytes: this.options.maxBytes, windowLines: this.options.windowLines ?? 2000 };
      history = new AppHistory(app, join(this.options.dir, app), limits);
      this.histories.set(app, history);
    }
    return history;
  }
}

/** Splits on byte length without cutting a UTF-8 sequence in half. */
export function splitLongLine(message: string): string[] {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= MAX_LINE_BYTES) return [message];
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + MAX_LINE_BYTES, bytes.length);
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts;
}
