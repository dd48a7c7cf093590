import type { LogEvent, LogRecord } from '../core/model.js';
import type { LogReader, LogSink } from '../core/ports.js';

/** Heroku splits lines longer than this many bytes into several lines. */
export const MAX_LINE_BYTES = 10_000;

export interface LogBusOptions {
  linesPerApp: number;
  /** Microseconds since the epoch. */
  nowMicros?: () => number;
}

interface AppLog {
  records: LogRecord[];
  /** Index in `records` of the oldest line (a ring buffer once full). */
  start: number;
  seq: number;
  lastMicros: number;
  listeners: Set<(record: LogRecord) => void>;
}

/**
 * One time-ordered stream per app: a bounded ring of recent lines plus live subscribers.
 * Appending never blocks: a listener that throws is dropped, and the ring overwrites the oldest.
 */
export class LogBus implements LogSink, LogReader {
  private readonly apps = new Map<string, AppLog>();
  private readonly nowMicros: () => number;

  constructor(private readonly options: LogBusOptions) {
    this.nowMicros = options.nowMicros ?? (() => Math.floor((performance.timeOrigin + performance.now()) * 1000));
  }

  append(event: LogEvent): void {
    // A line of up to a third of the limit in UTF-16 units cannot exceed it in UTF-8 bytes: the
    // common case (every router line) skips measuring.
    if (event.message.length * 3 <= MAX_LINE_BYTES) {
      this.appendOne(event.app, event.source, event.process, event.message);
      return;
    }
    for (const message of splitLongLine(event.message)) this.appendOne(event.app, event.source, event.process, message);
  }

  recent(app: string, lines: number): LogRecord[] {
    const log = this.apps.get(app);
    if (!log) return [];
    const ordered = [...log.records.slice(log.start), ...log.records.slice(0, log.start)];
    return ordered.slice(Math.max(0, ordered.length - lines));
  }

  subscribe(app: string, listener: (record: LogRecord) => void): () => void {
    const log = this.logOf(app);
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }

  forget(app: string): void {
    this.apps.delete(app);
  }

  private appendOne(app: string, source: LogEvent['source'], process: string, message: string): void {
    const log = this.logOf(app);
    const timeMicros = Math.max(this.nowMicros(), log.lastMicros + 1);
    log.lastMicros = timeMicros;
    log.seq += 1;
    const record: LogRecord = { app, source, process, message, id: String(log.seq), timeMicros };
    if (log.records.length < this.options.linesPerApp) {
      log.records.push(record);
    } else {
      log.records[log.start] = record;
      log.start = (log.start + 1) % log.records.length;
    }
    for (const listener of log.listeners) {
      try {
        listener(record);
      } catch {
        log.listeners.delete(listener);
      }
    }
  }

  private logOf(app: string): AppLog {
    let log = this.apps.get(app);
    if (!log) {
      log = { records: [], start: 0, seq: 0, lastMicros: 0, listeners: new Set() };
      this.apps.set(app, log);
    }
    return log;
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
