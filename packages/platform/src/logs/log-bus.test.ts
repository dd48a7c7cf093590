import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLogTime } from '../core/log-time.js';
import { EARLY_FLUSH_LINES, LogBus, MAX_LINE_BYTES, splitLongLine } from './log-bus.js';

const dir = () => mkdtempSync(join(tmpdir(), 'dozen-logbus-'));
const line = (app: string, message: string, process = 'web.1') => ({ app, source: 'app' as const, process, message });

describe('LogBus', () => {
  it('keeps lines per app in order, with increasing ids and times, and reads recent ones with filters', async () => {
    let t = 1_000;
    const bus = new LogBus({ dir: dir(), maxLines: 1000, maxBytes: 1 << 20, nowMicros: () => t });
    for (let i = 1; i <= 5; i++) bus.append(line('alpha', `m${i}`, i % 2 ? 'web.1' : 'worker.1'));
    bus.append(line('beta', 'other'));
    bus.append({ app: 'alpha', source: 'router', process: 'router', message: 'GET /' });
    const recent = await bus.recent('alpha', 10, {});
    expect(recent.records.map((r) => r.message)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'GET /']);
    expect(recent.records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(recent.records.map((r) => r.timeMicros)).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(recent.upTo).toBe(6);
    expect((await bus.recent('alpha', 2, {})).records.map((r) => r.message)).toEqual(['m5', 'GET /']);
    expect((await bus.recent('alpha', 10, { process: 'web' })).records.map((r) => r.message)).toEqual(['m1', 'm3', 'm5']);
    expect((await bus.recent('alpha', 10, { process: 'worker.1' })).records.map((r) => r.message)).toEqual(['m2', 'm4']);
    expect((await bus.recent('alpha', 10, { process: 'web.12' })).records).toEqual([]);
    expect((await bus.recent('alpha', 10, { source: 'router' })).records.map((r) => r.message)).toEqual(['GET /']);
    expect((await bus.recent('alpha', 10, { sinceMicros: 1003 })).records.map((r) => r.message)).toEqual(['m4', 'm5', 'GET /']);
    t = 5_000;
    bus.append(line('alpha', 'late'));
    expect((await bus.recent('alpha', 1, {})).records[0]?.timeMicros).toBe(5000);
  });

  it('writes lines to disk before waking readers and feeding taps', async () => {
    const root = dir();
    const bus = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    // What a reader or a tap would find on disk at the moment it is called.
    const onDisk = () => {
      if (!existsSync(join(root, 'alpha'))) return [];
      const files = readdirSync(join(root, 'alpha')).filter((f) => f.endsWith('.ndjson'));
      const text = files.map((f) => readFileSync(join(root, 'alpha', f), 'utf8')).join('');
      return text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { m: string }).m);
    };
    const tapped: number[] = [];
    const seenByTap: string[][] = [];
    bus.tap((records) => {
      tapped.push(...records.map((r) => r.id));
      seenByTap.push(onDisk());
    });
    const seenByReader: string[][] = [];
    const stop = bus.watch('alpha', () => seenByReader.push(onDisk()));
    bus.append(line('alpha', 'one'));
    bus.append(line('alpha', 'two'));
    expect(seenByReader).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seenByReader).toEqual([['one', 'two']]);
    expect(tapped).toEqual([1, 2]);
    expect(seenByTap).toEqual([['one', 'two']]);
    stop();
    bus.append(line('alpha', 'three'));
    await new Promise((r) => setImmediate(r));
    expect(seenByReader).toHaveLength(1);
  });

  it('keeps ids increasing across a restart and continues the history', async () => {
    const root = dir();
    const first = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) first.append(line('alpha', `before ${i}`));
    first.close();
    const second = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    second.append(line('alpha', 'after'));
    const all = (await second.recent('alpha', 100, {})).records;
    expect(all).toHaveLength(11);
    expect(all.at(-1)).toMatchObject({ id: 11, message: 'after' });
    expect(all.map((r) => r.timeMicros)).toEqual([...all.map((r) => r.timeMicros)].sort((x, y) => x - y));
  });

  it('recovers from a torn last line (a crash in the middle of a write)', async () => {
    const root = dir();
    const first = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) first.append(line('alpha', `ok ${i}`));
    first.close();
    const segment = readdirSync(join(root, 'alpha')).find((f) => f.endsWith('.ndjson')) as string;
    appendFileSync(join(root, 'alpha', segment), '{"id":4,"t":1,"s":"app","p":"web.1","m":"tor');
    const second = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    second.append(line('alpha', 'next'));
    expect((await second.recent('alpha', 100, {})).records.map((r) => `${r.id} ${r.message}`)).toEqual(['1 ok 0', '2 ok 1', '3 ok 2', '4 next']);
  });

  it('drops the oldest segments past the line limit and accounts for every line, also after a restart', async () => {
    const root = dir();
    const bus = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 30, windowLines: 50 });
    for (let i = 1; i <= 5000; i++) bus.append(line('alpha', `flood ${i}`, 'flood.1'));
    bus.append({ app: 'alpha', source: 'dozen', process: 'flood.1', message: 'exited' });
    const stats = bus.stats('alpha');
    expect(stats.lines).toBeLessThanOrEqual(1000);
    expect(stats.lines).toBeGreaterThanOrEqual(900);
    expect(stats.lines + stats.dropped).toBe(5001);
    expect(stats.droppedByProcess['app[flood.1]']).toBe(5000 - (stats.lines - 1));
    const kept = (await bus.recent('alpha', 10_000, { process: 'flood' })).records;
    expect(kept.filter((r) => r.source === 'app')).toHaveLength(stats.lines - 1);
    expect(kept.at(-2)?.message).toBe('flood 5000');
    bus.close();
    const again = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 30 });
    expect(again.stats('alpha')).toEqual(stats);
  });

  it('drops by bytes too', () => {
    const bus = new LogBus({ dir: dir(), maxLines: 1_000_000, maxBytes: 100_000 });
    for (let i = 0; i < 1000; i++) bus.append(line('alpha', 'x'.repeat(1000)));
    const stats = bus.stats('alpha');
    expect(stats.bytes).toBeLessThanOrEqual(100_000);
    expect(stats.lines + stats.dropped).toBe(1000);
  });

  it('reads after an id, from memory or from disk, and reports what the history no longer holds', async () => {
    const bus = new LogBus({ dir: dir(), maxLines: 1000, maxBytes: 1 << 30, windowLines: 20 });
    for (let i = 1; i <= 3000; i++) bus.append(line('alpha', `m${i}`, i % 3 === 0 ? 'worker.1' : 'web.1'));
    const first = bus.stats('alpha').firstId as number;
    const gap = await bus.after('alpha', 5, 10, {});
    expect(gap.skipped).toBe(first - 1 - 5);
    expect(gap.records[0]?.id).toBe(first);
    const mid = await bus.after('alpha', 2500, 3, { process: 'worker' });
    expect(mid.records.map((r) => r.id)).toEqual([2502, 2505, 2508]);
    expect(mid.upTo).toBe(2508);
    let cursor = first - 1;
    const seen: number[] = [];
    for (;;) {
      const batch = await bus.after('alpha', cursor, 500, {});
      if (batch.upTo === cursor) break;
      seen.push(...batch.records.map((r) => r.id));
      cursor = batch.upTo;
    }
    expect(seen).toEqual(Array.from({ length: 3000 - first + 1 }, (_, i) => first + i));
    expect((await bus.after('alpha', 3000, 10, {})).records).toEqual([]);
  });

  it('forgets an app with its files, and ignores names that are not app names', async () => {
    // The bus's dir sits inside a parent of its own, so a name that climbs out (../x) would show.
    const parent = dir();
    const root = join(parent, 'logs');
    const bus = new LogBus({ dir: root, maxLines: 1000, maxBytes: 1 << 20 });
    bus.append(line('alpha', 'x'));
    for (const bad of ['../escape', 'Upper', 'a/b', '.hidden', '']) bus.append(line(bad, 'x'));
    expect((await bus.recent('alpha', 10, {})).records).toHaveLength(1);
    bus.flush();
    expect(readdirSync(parent)).toEqual(['logs']);
    expect(readdirSync(root)).toEqual(['alpha']);
    expect(() => bus.stats('../escape')).toThrow(/not an app name/);
    bus.forget('alpha');
    expect(existsSync(join(root, 'alpha'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('splits long lines at 10 000 bytes without breaking characters', () => {
    const parts = splitLongLine('é'.repeat(MAX_LINE_BYTES));
    expect(parts.every((p) => Buffer.byteLength(p) <= MAX_LINE_BYTES)).toBe(true);
    expect(parts.join('')).toBe('é'.repeat(MAX_LINE_BYTES));
  });

  it('feeds a flood to taps in steps of EARLY_FLUSH_LINES within one turn, not all at its end', async () => {
    const bus = new LogBus({ dir: dir(), maxLines: 100_000, maxBytes: 1 << 30 });
    const batches: number[] = [];
    bus.tap((records) => batches.push(records.length));
    // Like pipe reads within one turn: each chunk is its own callback, with ticks run between.
    const chunk = (from: number) => {
      for (let i = from; i < from + 500; i++) bus.append(line('flood', `line ${i}`));
    };
    for (let c = 0; c < 10; c++) await new Promise<void>((resolve) => process.nextTick(() => resolve(chunk(c * 500))));
    expect(batches).toEqual([EARLY_FLUSH_LINES, EARLY_FLUSH_LINES]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([EARLY_FLUSH_LINES, EARLY_FLUSH_LINES, 1000]);
    expect((await bus.recent('flood', 5000, {})).records.map((r) => r.message)).toEqual(Array.from({ length: 5000 }, (_, i) => `line ${i}`));
  });

  it('pages back through the history with beforeId, past the in-memory window into the segments on disk', async () => {
    const bus = new LogBus({ dir: dir(), maxLines: 100_000, maxBytes: 1 << 30, windowLines: 50 });
    for (let i = 1; i <= 3000; i++) bus.append(line('alpha', `line ${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    const page = async (beforeId?: number) => (await bus.recent('alpha', 100, beforeId === undefined ? {} : { beforeId })).records.map((r) => r.id);
    const newest = await page();
    expect(newest).toEqual(Array.from({ length: 100 }, (_, i) => 2901 + i));
    expect(await page(2901)).toEqual(Array.from({ length: 100 }, (_, i) => 2801 + i));
    expect(await page(150)).toEqual(Array.from({ length: 100 }, (_, i) => 50 + i));
    expect(await page(30)).toEqual(Array.from({ length: 29 }, (_, i) => 1 + i));
    expect(await page(1)).toEqual([]);
  });

  it('formats microsecond timestamps like Heroku', () => {
    expect(formatLogTime(Date.UTC(2026, 10, 24, 20, 15, 3) * 1000 + 123_456)).toBe('2026-11-24T20:15:03.123456+00:00');
  });
});
