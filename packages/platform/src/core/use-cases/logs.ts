import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { LogFilter, LogHistoryStats, LogRecord, LogSource } from '../model.js';
import { PROCESS_TYPE_PATTERN } from '../names.js';
import { parseSince } from '../since.js';
import { requireApp } from './apps.js';

export interface LogQueryInput {
  process?: string | undefined;
  source?: LogSource | undefined;
  since?: string | undefined;
  /** Only lines older than this id (the recent-lines route; paging back). */
  before?: string | undefined;
}

export type TailItem = { kind: 'line'; record: LogRecord } | { kind: 'notice'; message: string };

/** Lines read from the history per step of a tail. */
const TAIL_BATCH = 500;

/** Checks the filters a user typed; `since` is a duration back from now or an ISO 8601 time. */
export function toLogFilter(input: LogQueryInput, nowMs: number): LogFilter {
  const filter: LogFilter = {};
  if (input.process !== undefined) {
    const [type, index, ...rest] = input.process.split('.');
    if (!PROCESS_TYPE_PATTERN.test(type ?? '') || rest.length > 0 || (index !== undefined && !/^\d{1,9}$/.test(index))) {
      throw new DozenError('LOG_QUERY_INVALID', `Process ${JSON.stringify(input.process)} is not a process type (web) or a process (web.1).`);
    }
    filter.process = input.process;
  }
  if (input.source !== undefined) filter.source = input.source;
  if (input.before !== undefined) {
    if (!/^\d{1,15}$/.test(input.before)) throw new DozenError('LOG_QUERY_INVALID', `Before ${JSON.stringify(input.before)} is not a log line id.`);
    filter.beforeId = Number(input.before);
  }
  if (input.since !== undefined) filter.sinceMicros = parseSince(input.since, nowMs, 'LOG_QUERY_INVALID') * 1000;
  return filter;
}

export async function readLogs(deps: CoreDeps, name: string, lines: number, input: LogQueryInput): Promise<LogRecord[]> {
  await requireApp(deps, name);
  const filter = toLogFilter(input, deps.clock.now().getTime());
  return (await deps.logs.recent(name, lines, filter)).records;
}

export async function logStats(deps: CoreDeps, name: string): Promise<LogHistoryStats> {
  await requireApp(deps, name);
  return deps.logs.stats(name);
}

export interface FollowOptions extends LogQueryInput {
  /** Recent lines first (ignored when resuming). */
  lines: number;
  /** Resume after this id (the SSE Last-Event-ID). */
  after?: number | undefined;
  signal: AbortSignal;
}

/**
 * A live tail, pulled by its reader: recent lines, then new ones as they arrive. It reads from
 * the history by id, so a slow reader only falls behind (nothing is buffered for it); if it falls
 * further behind than the history reaches, it skips ahead with a notice.
 */
export async function followLogs(deps: CoreDeps, name: string, options: FollowOptions): Promise<AsyncGenerator<TailItem>> {
  await requireApp(deps, name);
  const filter = toLogFilter(options, deps.clock.now().getTime());
  return follow(deps, name, filter, options);
}

async function* follow(deps: CoreDeps, name: string, filter: LogFilter, options: FollowOptions): AsyncGenerator<TailItem> {
  let woken = false;
  let wakeUp: (() => void) | null = null;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const stopWatching = deps.logs.watch(name, wake);
  options.signal.addEventListener('abort', wake);
  try {
    let cursor: number;
    if (options.after === undefined) {
      const recent = await deps.logs.recent(name, options.lines, filter);
      for (const record of recent.records) yield { kind: 'line', record };
      cursor = recent.upTo;
    } else {
      cursor = options.after;
    }
    while (!options.signal.aborted) {
      woken = false;
      const batch = await deps.logs.after(name, cursor, TAIL_BATCH, filter);
      if (batch.skipped > 0) yield { kind: 'notice', message: `${batch.skipped} lines were skipped: the history no longer holds them (this reader fell too far behind)` };
      if (batch.upTo < cursor) yield { kind: 'notice', message: `the log history restarted at line ${batch.upTo + 1}` };
      for (const record of batch.records) yield { kind: 'line', record };
      const moved = batch.upTo !== cursor;
      cursor = batch.upTo;
      if (moved || woken) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        if (woken || options.signal.aborted) resolve();
      });
      wakeUp = null;
    }
  } finally {
    stopWatching();
    options.signal.removeEventListener('abort', wake);
  }
}
