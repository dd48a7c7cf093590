import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLogTime } from '../core/log-time.js';
import { EARLY_FLUSH_LINES, LogBus, MAX_LINE_BYTES, splitLongLine } from './log-bus.js';
import { logHistoryConformance } from './log-history-conformance.js';

const dir = () => mkdtempSync(join(tmpdir(), 'dozen-logbus-'));
const line = (app: string, message: string, process = 'web.1') => ({ app, source: 'app' as const, process, message });

describe('LogBus: the log history conformance', () => {
  logHistoryConformance(async (options) => new LogBus({ dir: dir(), ...options }));
});

describe('LogBus', () => {
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

  it('formats microsecond timestamps like Heroku', () => {
    expect(formatLogTime(Date.UTC(2026, 10, 24, 20, 15, 3) * 1000 + 123_456)).toBe('2026-11-24T20:15:03.123456+00:00');
  });
});
