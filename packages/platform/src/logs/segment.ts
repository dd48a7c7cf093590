import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { LogRecord, LogSource } from '../core/model.js';

/**
 * A segment is one append-only file of an app's history: one JSON object per line, ids in
 * increasing order. Closed segments never change; only the newest one is appended to.
 */
export interface SegmentMeta {
  /** Id of the first line; also the file name (`<first, 16 digits>.ndjson`). */
  first: number;
  last: number;
  lines: number;
  bytes: number;
  /** Lines per `source[process]`, so that dropping the segment is reported exactly. */
  counts: Record<string, number>;
}

interface StoredLine {
  id: number;
  t: number;
  s: LogSource;
  p: string;
  m: string;
}

export function segmentFileName(first: number): string {
  return `${String(first).padStart(16, '0')}.ndjson`;
}

export function segmentFirstId(fileName: string): number | null {
  const match = /^(\d{16})\.ndjson$/.exec(fileName);
  return match ? Number(match[1]) : null;
}

export function encodeRecord(record: LogRecord): string {
  return `${JSON.stringify({ id: record.id, t: record.timeMicros, s: record.source, p: record.process, m: record.message })}\n`;
}

export function recordTag(record: { source: LogSource; process: string }): string {
  return `${record.source}[${record.process}]`;
}

/** Parses a segment's text; a torn last line (a crash in the middle of a write) is left out. */
export function decodeSegment(app: string, text: string): LogRecord[] {
  const records: LogRecord[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const line = text.slice(start, end);
    start = end + 1;
    try {
      const stored = JSON.parse(line) as StoredLine;
      records.push({ app, id: stored.id, timeMicros: stored.t, source: stored.s, process: stored.p, message: stored.m });
    } catch {
      // a torn or foreign line: not a record
    }
  }
  return records;
}

export function readSegmentSync(app: string, file: string): LogRecord[] {
  try {
    return decodeSegment(app, readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

export async function readSegment(app: string, file: string): Promise<LogRecord[]> {
  try {
    return decodeSegment(app, await readFile(file, 'utf8'));
  } catch {
    // deleted by retention meanwhile: nothing to read there any more
    return [];
  }
}

/** Meta of a segment from its records (used for the newest segment at start, and to rebuild an index). */
export function metaOf(first: number, records: LogRecord[], bytes: number): SegmentMeta {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const tag = recordTag(record);
    counts[tag] = (counts[tag] ?? 0) + 1;
  }
  return { first, last: records.at(-1)?.id ?? first - 1, lines: records.length, bytes, counts };
}
