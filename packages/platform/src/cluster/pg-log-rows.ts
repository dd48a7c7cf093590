import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { LogFilter, LogHistoryStats, LogRecord, LogSource } from '../core/model.js';
import { sql } from '../store/kysely-runtime.js';
import { encodeRecord, recordTag } from '../logs/segment.js';

/** A line stamped by its writer, not yet numbered: its id and final time are given in the database. */
export interface StampedLine {
  app: string;
  source: LogSource;
  process: string;
  message: string;
  timeMicros: number;
}

export interface LogLimits {
  maxLines: number;
  maxBytes: number;
}

/** Lines the writer lost before they reached the database, per app and `source[process]`. */
export type DroppedCounts = Map<string, Map<string, number>>;

interface AppRow {
  app: string;
  next_id: number;
  first_id: number;
  last_micros: number;
  lines: number;
  bytes: number;
  dropped: number;
  dropped_by_process: string;
}

interface LineRow {
  id: number;
  time_micros: number;
  source: LogSource;
  process: string;
  message: string;
}

/**
 * Writes one batch (any apps) in one transaction: the apps' rows are locked in name order, which
 * numbers the lines of each app in commit order across every writing process (ids and times
 * increase per app, as in one LogBus); one INSERT for all the lines, the oldest rows trimmed past
 * the limits (a tenth at a time), then a notification per app at commit. Answers the numbered lines per app.
 */
export async function writeLogBatch(db: Kysely<Database>, channel: string, lines: StampedLine[], dropped: DroppedCounts, limits: LogLimits): Promise<LogRecord[][]> {
  const byApp = new Map<string, StampedLine[]>();
  for (const line of lines) {
    const list = byApp.get(line.app);
    if (list) list.push(line);
    else byApp.set(line.app, [line]);
  }
  for (const app of dropped.keys()) if (!byApp.has(app)) byApp.set(app, []);
  const apps = [...byApp.keys()].sort();
  return db.transaction().execute(async (trx) => {
    await sql`INSERT INTO cluster_log_apps (app, next_id, first_id, last_micros, lines, bytes, dropped, dropped_by_process)
      SELECT a, 1, 1, 0, 0, 0, 0, '{}' FROM unnest(${apps}::text[]) AS a ORDER BY a ON CONFLICT (app) DO NOTHING`.execute(trx);
    const rows = (await sql<AppRow>`SELECT * FROM cluster_log_apps WHERE app = ANY(${apps}::text[]) ORDER BY app FOR UPDATE`.execute(trx)).rows;
    const written: LogRecord[][] = [];
    const columns = { app: [] as string[], id: [] as number[], time: [] as number[], source: [] as string[], process: [] as string[], message: [] as string[], bytes: [] as number[] };
    for (const row of rows) {
      const records = number(row, byApp.get(row.app) ?? []);
      for (const record of records) {
        const bytes = Buffer.byteLength(encodeRecord(record));
        columns.app.push(record.app);
        columns.id.push(record.id);
        columns.time.push(record.timeMicros);
        columns.source.push(record.source);
        columns.process.push(record.process);
        columns.message.push(record.message);
        columns.bytes.push(bytes);
        row.bytes += bytes;
      }
      row.lines += records.length;
      addDropped(row, dropped.get(row.app));
      if (records.length > 0) written.push(records);
    }
    await sql`INSERT INTO cluster_log_lines (app, id, time_micros, source, process, message, bytes)
      SELECT * FROM unnest(${columns.app}::text[], ${columns.id}::bigint[], ${columns.time}::bigint[], ${columns.source}::text[], ${columns.process}::text[], ${columns.message}::text[], ${columns.bytes}::int[])`.execute(trx);
    for (const row of rows) {
      await trim(trx, row, limits);
      await sql`UPDATE cluster_log_apps SET next_id = ${row.next_id}, first_id = ${row.first_id}, last_micros = ${row.last_micros}, lines = ${row.lines}, bytes = ${row.bytes},
        dropped = ${row.dropped}, dropped_by_process = ${row.dropped_by_process} WHERE app = ${row.app}`.execute(trx);
    }
    await sql`SELECT pg_notify(${channel}, a) FROM unnest(${written.map((r) => (r[0] as LogRecord).app)}::text[]) AS a`.execute(trx);
    return written;
  });
}

/** Gives the lines their ids and times after what the app's row holds (and moves the row on). */
function number(row: AppRow, lines: StampedLine[]): LogRecord[] {
  return lines.map((line) => {
    row.last_micros = Math.max(line.timeMicros, row.last_micros + 1);
    // PostgreSQL text holds no NUL character: shown as U+FFFD, as an invalid byte would be.
    return { app: line.app, source: line.source, process: line.process, message: line.message.replaceAll('\0', '\uFFFD'), id: row.next_id++, timeMicros: row.last_micros };
  });
}

function addDropped(row: AppRow, counts: Map<string, number> | undefined): void {
  if (!counts || counts.size === 0) return;
  const byProcess = JSON.parse(row.dropped_by_process) as Record<string, number>;
  for (const [tag, n] of counts) {
    byProcess[tag] = (byProcess[tag] ?? 0) + n;
    row.dropped += n;
  }
  row.dropped_by_process = JSON.stringify(byProcess);
}

/** Over a limit: the oldest lines go until the app holds nine tenths of it (so trims come in batches). */
async function trim(trx: Kysely<Database>, row: AppRow, limits: LogLimits): Promise<void> {
  if (row.lines <= limits.maxLines && row.bytes <= limits.maxBytes) return;
  const keepLines = Math.floor(limits.maxLines * 0.9);
  let cut = row.lines > keepLines ? row.next_id - 1 - keepLines : 0;
  if (row.bytes > Math.floor(limits.maxBytes * 0.9)) {
    const kept = (await sql<{ first: number | null }>`SELECT min(id) AS first FROM (SELECT id, sum(bytes) OVER (ORDER BY id DESC) AS newer FROM cluster_log_lines WHERE app = ${row.app}) t
      WHERE newer <= ${Math.floor(limits.maxBytes * 0.9)}`.execute(trx)).rows[0]?.first;
    cut = Math.max(cut, (kept ?? row.next_id) - 1);
  }
  const gone = (await sql<{ source: LogSource; process: string; n: number; b: number }>`WITH d AS (DELETE FROM cluster_log_lines WHERE app = ${row.app} AND id <= ${cut} RETURNING source, process, bytes)
    SELECT source, process, count(*)::int AS n, sum(bytes)::bigint AS b FROM d GROUP BY source, process`.execute(trx)).rows;
  const counts = new Map<string, number>();
  for (const g of gone) {
    counts.set(recordTag(g), g.n);
    row.lines -= g.n;
    row.bytes -= Number(g.b);
  }
  addDropped(row, counts);
  row.first_id = Math.max(row.first_id, cut + 1);
}

/** The newest `lines` lines (oldest first) and the last id the history held, read in one snapshot. */
export async function recentLines(db: Kysely<Database>, app: string, lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }> {
  const before = filter.beforeId ?? Number.MAX_SAFE_INTEGER;
  const rows = (await sql<LineRow & { next_id: number }>`SELECT a.next_id, l.* FROM cluster_log_apps a LEFT JOIN LATERAL (
      SELECT id, time_micros, source, process, message FROM cluster_log_lines l WHERE l.app = a.app AND l.id < a.next_id AND l.id < ${before} AND ${matching(filter)} ORDER BY l.id DESC LIMIT ${lines}
    ) l ON TRUE WHERE a.app = ${app}`.execute(db)).rows;
  const upTo = rows.length === 0 ? 0 : (rows[0] as { next_id: number }).next_id - 1;
  return { records: toRecords(app, rows).reverse(), upTo };
}

/** Lines after `afterId` (LogReader.after), read in one snapshot. */
export async function linesAfter(db: Kysely<Database>, app: string, afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }> {
  const rows = (await sql<LineRow & { next_id: number; first_id: number }>`SELECT a.next_id, a.first_id, l.* FROM cluster_log_apps a LEFT JOIN LATERAL (
      SELECT id, time_micros, source, process, message FROM cluster_log_lines l WHERE l.app = a.app AND l.id > GREATEST(${afterId}, a.first_id - 1) AND l.id < a.next_id AND ${matching(filter)} ORDER BY l.id LIMIT ${limit}
    ) l ON TRUE WHERE a.app = ${app}`.execute(db)).rows;
  const head = rows[0];
  if (!head) return { records: [], upTo: 0, skipped: 0 };
  const lastId = head.next_id - 1;
  if (afterId >= lastId) return { records: [], upTo: lastId, skipped: 0 };
  const skipped = afterId < head.first_id - 1 ? head.first_id - 1 - afterId : 0;
  const records = toRecords(app, rows);
  return { records, upTo: records.length === limit ? (records.at(-1) as LogRecord).id : lastId, skipped };
}

export async function historyStats(db: Kysely<Database>, app: string): Promise<LogHistoryStats> {
  const row = (await sql<AppRow>`SELECT * FROM cluster_log_apps WHERE app = ${app}`.execute(db)).rows[0];
  if (!row || row.lines === 0) return { lines: 0, bytes: 0, firstId: null, lastId: null, dropped: row?.dropped ?? 0, droppedByProcess: row ? (JSON.parse(row.dropped_by_process) as Record<string, number>) : {} };
  return { lines: row.lines, bytes: row.bytes, firstId: row.first_id, lastId: row.next_id - 1, dropped: row.dropped, droppedByProcess: JSON.parse(row.dropped_by_process) as Record<string, number> };
}

export async function forgetHistory(db: Kysely<Database>, channel: string, app: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM cluster_log_apps WHERE app = ${app}`.execute(trx);
    await sql`DELETE FROM cluster_log_lines WHERE app = ${app}`.execute(trx);
    await sql`SELECT pg_notify(${channel}, ${app})`.execute(trx);
  });
}

function matching(filter: LogFilter) {
  const parts = [sql`TRUE`];
  if (filter.source !== undefined) parts.push(sql`l.source = ${filter.source}`);
  if (filter.sinceMicros !== undefined) parts.push(sql`l.time_micros >= ${filter.sinceMicros}`);
  if (filter.process !== undefined) {
    const p = filter.process;
    parts.push(p.includes('.') ? sql`l.process = ${p}` : sql`(l.process = ${p} OR starts_with(l.process, ${`${p}.`}))`);
  }
  return sql.join(parts, sql` AND `);
}

function toRecords(app: string, rows: Array<Partial<LineRow>>): LogRecord[] {
  return rows.filter((r): r is LineRow => r.id !== null && r.id !== undefined).map((r) => ({ app, source: r.source, process: r.process, message: r.message, id: r.id, timeMicros: r.time_micros }));
}
