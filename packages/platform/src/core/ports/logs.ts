import type { Drain, DrainStats, LogEvent, LogFilter, LogHistoryStats, LogRecord } from '../model.js';

/** The log stream: where lines go, how they are read, and the drains. */
export interface LogSink {
  append(event: LogEvent): void;
}

export interface LogReader {
  /** The newest `lines` lines matching `filter`, oldest first; `upTo`: the last id the history held. */
  recent(app: string, lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }>;
  /**
   * Lines after id `afterId`, oldest first, at most `limit` of them (matching `filter`);
   * `upTo`: the id read up to; `skipped`: lines after `afterId` that the history no longer holds.
   */
  after(app: string, afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }>;
  /** Calls `wake` whenever new lines of `app` can be read, until the returned function is called. */
  watch(app: string, wake: () => void): () => void;
  /** Synchronous for the files of `dozen up`, a promise for the tables of the roles as processes. */
  stats(app: string): LogHistoryStats | Promise<LogHistoryStats>;
  /** Deletes the app's history. */
  forget(app: string): void;
}

/** Forwards app log streams to drains (syslog, HTTPS). */
export interface DrainHub {
  /** Refuses (DRAIN_URL_FORBIDDEN) a URL whose host resolves to an address drains may not reach. */
  verify(url: string): Promise<void>;
  start(app: string, drain: Drain): void;
  stop(drainId: string): Promise<void>;
  stats(drainId: string): DrainStats;
}
