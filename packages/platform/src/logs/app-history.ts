import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent, LogFilter, LogHistoryStats, LogRecord } from '../core/model.js';
import { firstAfter, matches } from './log-filter.js';
import { encodeRecord, metaOf, readSegment, readSegmentSync, recordTag, segmentFileName, segmentFirstId, type SegmentMeta } from './segment.js';

export interface HistoryLimits {
  maxLines: number;
  maxBytes: number;
  /** Recent lines also kept in memory, so that live tails never touch the disk. */
  windowLines: number;
}

interface Index {
  closed: SegmentMeta[];
  dropped: number;
  droppedByProcess: Record<string, number>;
}

const INDEX = 'index.json';
/** Retention works on whole segments: about a tenth of the limit each. */
const SEGMENTS_PER_HISTORY = 10;
/** The in-memory window of an app holds at most about this much text. */
const WINDOW_BYTES = 1024 * 1024;

/**
 * One app's history on disk: segment files in its own directory, the newest one appended to, the
 * oldest deleted once the app is over its line or byte limit. Ids continue from what the disk
 * holds, so they stay increasing across platform restarts. Single writer: the platform process.
 */
export class AppHistory {
  private closed: SegmentMeta[] = [];
  private active!: SegmentMeta;
  private fd: number | null = null;
  private nextId = 1;
  private lastMicros = 0;
  private window: LogRecord[] = [];
  private windowBytes = 0;
  private pending: LogRecord[] = [];
  private dropped = 0;
  private droppedByProcess: Record<string, number> = {};
  private cached: { first: number; records: LogRecord[] } | null = null;

  constructor(
    readonly app: string,
    private readonly dir: string,
    private readonly limits: HistoryLimits,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.load();
  }

  /** Gives the line its id and time; it is written at the next flush. */
  stamp(event: LogEvent, nowMicros: number): LogRecord {
    const timeMicros = Math.max(nowMicros, this.lastMicros + 1);
    this.lastMicros = timeMicros;
    const record: LogRecord = { app: event.app, source: event.source, process: event.process, message: event.message, id: this.nextId++, timeMicros };
    this.pending.push(record);
    return record;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  get pendingLines(): number {
    return this.pending.length;
  }

  /** Writes what was stamped since the last flush; returns those lines (lost ones are counted as dropped). */
  flush(): LogRecord[] {
    const batch = this.pending;
    if (batch.length === 0) return batch;
    this.pending = [];
    const written: LogRecord[] = [];
    let writtenBytes = 0;
    let changed = false;
    for (let i = 0; i < batch.length; ) {
      // Fill the newest segment up to its size, then start the next one: a flood in one turn
      // of the event loop still makes segments of the usual size.
      const roomLines = segmentLimit(this.limits.maxLines) - this.active.lines;
      const roomBytes = segmentLimit(this.limits.maxBytes) - this.active.bytes;
      let text = '';
      let bytes = 0;
      let n = 0;
      for (; i + n < batch.length; n++) {
        const encoded = encodeRecord(batch[i + n] as LogRecord);
        const size = Buffer.byteLength(encoded);
        if (n > 0 && (n >= roomLines || bytes + size > roomBytes)) break;
        text += encoded;
        bytes += size;
      }
      const part = batch.slice(i, i + n);
      i += n;
      if (this.active.lines === 0) this.active.first = (part[0] as LogRecord).id;
      if (this.write(text, part)) {
        this.account(part, bytes);
        for (const record of part) written.push(record);
        writtenBytes += bytes;
      }
      if (this.active.lines >= segmentLimit(this.limits.maxLines) || this.active.bytes >= segmentLimit(this.limits.maxBytes)) {
        this.roll();
        changed = true;
      }
    }
    if (this.enforceLimits() || changed) this.saveIndex();
    this.remember(written, writtenBytes);
    return written;
  }

  private write(text: string, part: LogRecord[]): boolean {
    try {
      if (this.fd === null) this.fd = openSync(join(this.dir, segmentFileName(this.active.first)), 'a', 0o600);
      writeSync(this.fd, text);
      return true;
    } catch {
      // The disk refused (full, removed): these lines are lost, and reported as dropped.
      for (const record of part) this.countDropped(recordTag(record), 1);
      return false;
    }
  }

  private account(part: LogRecord[], bytes: number): void {
    const meta = this.active;
    meta.lines += part.length;
    meta.bytes += bytes;
    meta.last = part.at(-1)?.id ?? meta.last;
    for (const record of part) {
      const tag = recordTag(record);
      meta.counts[tag] = (meta.counts[tag] ?? 0) + 1;
    }
  }

  private roll(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.closed.push(this.active);
    this.active = emptySegment(this.active.last + 1);
  }

  stats(): LogHistoryStats {
    const segments = [...this.closed, this.active];
    const lines = segments.reduce((n, s) => n + s.lines, 0);
    return {
      lines,
      bytes: segments.reduce((n, s) => n + s.bytes, 0),
      firstId: lines === 0 ? null : this.firstId(),
      lastId: lines === 0 ? null : this.nextId - 1 - this.pending.length,
      dropped: this.dropped,
      droppedByProcess: { ...this.droppedByProcess },
    };
  }

  async recent(lines: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number }> {
    const upTo = this.lastFlushedId();
    const found: LogRecord[] = [];
    let below = filter.beforeId ?? Number.MAX_SAFE_INTEGER;
    const take = (records: LogRecord[]): boolean => {
      for (let i = records.length - 1; i >= 0; i--) {
        const record = records[i] as LogRecord;
        if (record.id >= below || record.id > upTo) continue;
        if (filter.sinceMicros !== undefined && record.timeMicros < filter.sinceMicros) return true;
        if (matches(record, filter)) found.push(record);
        if (found.length >= lines) return true;
      }
      return false;
    };
    let done = take(this.window);
    below = Math.min(below, this.window[0]?.id ?? below);
    for (const segment of [...this.closed, this.active].reverse()) {
      if (done) break;
      if (segment.first >= below || segment.lines === 0) continue;
      done = take(await this.readSegment(segment));
      below = segment.first;
    }
    return { records: found.reverse(), upTo };
  }

  async after(afterId: number, limit: number, filter: LogFilter): Promise<{ records: LogRecord[]; upTo: number; skipped: number }> {
    const lastId = this.lastFlushedId();
    if (afterId >= lastId) return { records: [], upTo: lastId, skipped: 0 };
    const first = this.firstId();
    const skipped = afterId < first - 1 ? first - 1 - afterId : 0;
    const cursor = Math.max(afterId, first - 1);
    let source: LogRecord[];
    if (this.window.length > 0 && cursor >= (this.window[0] as LogRecord).id - 1) {
      source = this.window;
    } else {
      const segment = [...this.closed, this.active].find((s) => s.lines > 0 && s.last > cursor);
      source = segment ? await this.readSegment(segment) : [];
    }
    const records: LogRecord[] = [];
    let upTo = cursor;
    for (let i = firstAfter(source, cursor); i < source.length && records.length < limit; i++) {
      const record = source[i] as LogRecord;
      if (record.id > lastId) break;
      upTo = record.id;
      if (matches(record, filter)) records.push(record);
    }
    // A segment deleted under the reader: move on past what no longer exists.
    if (upTo === cursor && source.length === 0) return { records, upTo: Math.max(cursor, this.firstId() - 1), skipped };
    return { records, upTo, skipped };
  }

  /** Flushes and closes the file; the history stays on disk. */
  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Keeps the newest lines in memory, bounded in lines and bytes (trimmed in steps, not per line). */
  private remember(batch: LogRecord[], bytes: number): void {
    for (const record of batch) this.window.push(record);
    this.windowBytes += bytes;
    const { windowLines } = this.limits;
    if (this.window.length <= 2 * windowLines && this.windowBytes <= 2 * WINDOW_BYTES) return;
    let keep = 0;
    let kept = 0;
    for (let i = this.window.length - 1; i >= 0 && keep < windowLines; i--, keep++) {
      const size = (this.window[i] as LogRecord).message.length + 64;
      if (kept + size > WINDOW_BYTES && keep > 0) break;
      kept += size;
    }
    this.window = this.window.slice(this.window.length - keep);
    this.windowBytes = kept;
  }

  private lastFlushedId(): number {
    return this.nextId - 1 - this.pending.length;
  }

  private firstId(): number {
    return this.closed[0]?.first ?? (this.active.lines > 0 ? this.active.first : this.nextId);
  }

  private async readSegment(segment: SegmentMeta): Promise<LogRecord[]> {
    const isClosed = segment !== this.active;
    if (isClosed && this.cached?.first === segment.first) return this.cached.records;
    const records = await readSegment(this.app, join(this.dir, segmentFileName(segment.first)));
    if (isClosed) this.cached = { first: segment.first, records };
    return records;
  }

  /** Deletes the oldest segments while the history is over a limit; true if it deleted any. */
  private enforceLimits(): boolean {
    let lines = 0;
    let bytes = 0;
    for (const s of [...this.closed, this.active]) {
      lines += s.lines;
      bytes += s.bytes;
    }
    let changed = false;
    while (this.closed.length > 0 && (lines > this.limits.maxLines || bytes > this.limits.maxBytes)) {
      const oldest = this.closed.shift() as SegmentMeta;
      try {
        unlinkSync(join(this.dir, segmentFileName(oldest.first)));
      } catch {
        // already gone
      }
      if (this.cached?.first === oldest.first) this.cached = null;
      for (const [tag, count] of Object.entries(oldest.counts)) this.countDropped(tag, count);
      lines -= oldest.lines;
      bytes -= oldest.bytes;
      changed = true;
    }
    return changed;
  }

  private countDropped(tag: string, count: number): void {
    this.dropped += count;
    this.droppedByProcess[tag] = (this.droppedByProcess[tag] ?? 0) + count;
  }

  private saveIndex(): void {
    const index: Index = { closed: this.closed, dropped: this.dropped, droppedByProcess: this.droppedByProcess };
    const file = join(this.dir, INDEX);
    writeFileSync(`${file}.tmp`, JSON.stringify(index), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  /** Rebuilds the state from the directory: the index for closed segments, a scan of the newest. */
  private load(): void {
    const firsts = readdirSync(this.dir).map(segmentFirstId).filter((n): n is number => n !== null).sort((a, b) => a - b);
    const index = readIndex(join(this.dir, INDEX));
    this.dropped = index.dropped;
    this.droppedByProcess = index.droppedByProcess;
    const known = new Map(index.closed.map((m) => [m.first, m]));
    const newest = firsts.pop();
    this.closed = firsts.map((first) => known.get(first) ?? this.scan(first));
    if (newest === undefined) {
      this.active = emptySegment(1);
    } else {
      this.active = this.scan(newest);
      const records = readSegmentSync(this.app, join(this.dir, segmentFileName(newest)));
      const recent = records.slice(-this.limits.windowLines);
      this.remember(recent, recent.reduce((n, r) => n + r.message.length + 64, 0));
      this.lastMicros = this.window.at(-1)?.timeMicros ?? 0;
    }
    const lastId = Math.max(this.active.last, this.closed.at(-1)?.last ?? 0);
    this.nextId = Math.max(lastId + 1, this.active.first);
    if (this.active.lines === 0) this.active.first = this.nextId;
  }

  /** Meta of a segment from its content; a torn last line is cut off the file. */
  private scan(first: number): SegmentMeta {
    const file = join(this.dir, segmentFileName(first));
    const text = readFileSync(file);
    const end = text.lastIndexOf(0x0a) + 1;
    if (end < statSync(file).size) {
      const fd = openSync(file, 'r+');
      ftruncateSync(fd, end);
      closeSync(fd);
    }
    return metaOf(first, readSegmentSync(this.app, file), end);
  }
}

function readIndex(file: string): Index {
  try {
    const index = JSON.parse(readFileSync(file, 'utf8')) as Index;
    if (Array.isArray(index.closed)) return index;
  } catch {
    // no index yet (or a torn one): rebuilt from the segments
  }
  return { closed: [], dropped: 0, droppedByProcess: {} };
}

function emptySegment(first: number): SegmentMeta {
  return { first, last: first - 1, lines: 0, bytes: 0, counts: {} };
}

function segmentLimit(max: number): number {
  return Math.max(1, Math.floor(max / SEGMENTS_PER_HISTORY));
}
