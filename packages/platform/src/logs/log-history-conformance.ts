import { expect, it } from 'vitest';
import type { LogRecord } from '../core/model.js';
import type { LogReader, LogSink } from '../core/ports/logs.js';
import { MAX_LINE_BYTES } from './log-bus.js';

export interface HistoryUnderTest extends LogSink, LogReader {
  tap(listener: (records: LogRecord[]) => void): () => void;
}

export interface HistoryOptions {
  maxLines: number;
  maxBytes: number;
  nowMicros?: () => number;
  /** LogBus's in-memory window (ignored where there is none). */
  windowLines?: number;
}

const line = (app: string, message: string, process = 'web.1') => ({ app, source: 'app' as const, process, message });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * What every log history (LogSink & LogReader) does, whatever keeps it: LogBus's files for
 * `dozen up`, PgLogHistory's tables for the roles as processes. Called inside a describe.
 */
export function logHistoryConformance(open: (options: HistoryOptions) => Promise<HistoryUnderTest>): void {
  it('keeps lines per app in order, with increasing ids and times, and reads recent ones with filters', async () => {
    let t = 1_000;
    const h = await open({ maxLines: 1000, maxBytes: 1 << 20, nowMicros: () => t });
    for (let i = 1; i <= 5; i++) h.append(line('alpha', `m${i}`, i % 2 ? 'web.1' : 'worker.1'));
    h.append(line('beta', 'other'));
    h.append({ app: 'alpha', source: 'router', process: 'router', message: 'GET /' });
    const recent = await h.recent('alpha', 10, {});
    expect(recent.records.map((r) => r.message)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'GET /']);
    expect(recent.records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(recent.records.map((r) => r.timeMicros)).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(recent.upTo).toBe(6);
    expect((await h.recent('alpha', 2, {})).records.map((r) => r.message)).toEqual(['m5', 'GET /']);
    expect((await h.recent('alpha', 10, { process: 'web' })).records.map((r) => r.message)).toEqual(['m1', 'm3', 'm5']);
    expect((await h.recent('alpha', 10, { process: 'worker.1' })).records.map((r) => r.message)).toEqual(['m2', 'm4']);
    expect((await h.recent('alpha', 10, { process: 'web.12' })).records).toEqual([]);
    expect((await h.recent('alpha', 10, { source: 'router' })).records.map((r) => r.message)).toEqual(['GET /']);
    expect((await h.recent('alpha', 10, { sinceMicros: 1003 })).records.map((r) => r.message)).toEqual(['m4', 'm5', 'GET /']);
    expect((await h.recent('beta', 10, {})).records.map((r) => `${r.id} ${r.message}`)).toEqual(['1 other']);
    t = 5_000;
    h.append(line('alpha', 'late'));
    expect((await h.recent('alpha', 1, {})).records[0]?.timeMicros).toBe(5000);
  });

  it('wakes watchers once new lines can be read, and feeds taps the stored lines', async () => {
    const h = await open({ maxLines: 1000, maxBytes: 1 << 20 });
    const tapped: number[] = [];
    h.tap((records) => tapped.push(...records.filter((r) => r.app === 'alpha').map((r) => r.id)));
    const seen: string[][] = [];
    let woken = 0;
    const stop = h.watch('alpha', () => {
      woken += 1;
      void h.recent('alpha', 10, {}).then((r) => seen.push(r.records.map((x) => x.message)));
    });
    h.append(line('alpha', 'one'));
    h.append(line('alpha', 'two'));
    expect(woken).toBe(0);
    await waitFor(() => seen.length > 0);
    expect(seen[0]).toEqual(['one', 'two']);
    expect(tapped).toEqual([1, 2]);
    stop();
    const before = woken;
    h.append(line('alpha', 'three'));
    await h.recent('alpha', 1, {});
    await turn();
    expect(woken).toBe(before);
  });

  it('drops the oldest lines past the line limit and accounts for every line', async () => {
    const h = await open({ maxLines: 1000, maxBytes: 1 << 30, windowLines: 50 });
    for (let i = 1; i <= 5000; i++) h.append(line('alpha', `flood ${i}`, 'flood.1'));
    h.append({ app: 'alpha', source: 'dozen', process: 'flood.1', message: 'exited' });
    await h.recent('alpha', 1, {});
    const stats = await h.stats('alpha');
    expect(stats.lines).toBeLessThanOrEqual(1000);
    expect(stats.lines).toBeGreaterThanOrEqual(900);
    expect(stats.lines + stats.dropped).toBe(5001);
    expect(stats.lastId).toBe(5001);
    expect(stats.firstId).toBe(5001 - stats.lines + 1);
    expect(stats.droppedByProcess['app[flood.1]']).toBe(5000 - (stats.lines - 1));
    const kept = (await h.recent('alpha', 10_000, { process: 'flood' })).records;
    expect(kept.filter((r) => r.source === 'app')).toHaveLength(stats.lines - 1);
    expect(kept.at(-2)?.message).toBe('flood 5000');
  });

  it('drops by bytes too', async () => {
    const h = await open({ maxLines: 1_000_000, maxBytes: 100_000 });
    for (let i = 0; i < 1000; i++) h.append(line('alpha', 'x'.repeat(1000)));
    const stats = await Promise.resolve(h.recent('alpha', 1, {})).then(() => h.stats('alpha'));
    expect(stats.bytes).toBeLessThanOrEqual(100_000);
    expect(stats.bytes).toBeGreaterThan(50_000);
    expect(stats.lines + stats.dropped).toBe(1000);
  });

  it('reads after an id and reports what the history no longer holds', async () => {
    const h = await open({ maxLines: 1000, maxBytes: 1 << 30, windowLines: 20 });
    for (let i = 1; i <= 3000; i++) h.append(line('alpha', `m${i}`, i % 3 === 0 ? 'worker.1' : 'web.1'));
    await h.recent('alpha', 1, {});
    const first = (await h.stats('alpha')).firstId as number;
    const gap = await h.after('alpha', 5, 10, {});
    expect(gap.skipped).toBe(first - 1 - 5);
    expect(gap.records[0]?.id).toBe(first);
    const mid = await h.after('alpha', 2500, 3, { process: 'worker' });
    expect(mid.records.map((r) => r.id)).toEqual([2502, 2505, 2508]);
    expect(mid.upTo).toBe(2508);
    let cursor = first - 1;
    const seen: number[] = [];
    for (;;) {
      const batch = await h.after('alpha', cursor, 500, {});
      if (batch.upTo === cursor) break;
      seen.push(...batch.records.map((r) => r.id));
      cursor = batch.upTo;
    }
    expect(seen).toEqual(Array.from({ length: 3000 - first + 1 }, (_, i) => first + i));
    expect(await h.after('alpha', 3000, 10, {})).toEqual({ records: [], upTo: 3000, skipped: 0 });
  });

  it('pages back through the history with beforeId', async () => {
    const h = await open({ maxLines: 100_000, maxBytes: 1 << 30, windowLines: 50 });
    for (let i = 1; i <= 3000; i++) h.append(line('alpha', `line ${i}`));
    await turn();
    const page = async (beforeId?: number) => (await h.recent('alpha', 100, beforeId === undefined ? {} : { beforeId })).records.map((r) => r.id);
    expect(await page()).toEqual(Array.from({ length: 100 }, (_, i) => 2901 + i));
    expect(await page(2901)).toEqual(Array.from({ length: 100 }, (_, i) => 2801 + i));
    expect(await page(150)).toEqual(Array.from({ length: 100 }, (_, i) => 50 + i));
    expect(await page(30)).toEqual(Array.from({ length: 29 }, (_, i) => 1 + i));
    expect(await page(1)).toEqual([]);
  });

  it('forgets an app (its ids start again), and ignores names that are not app names', async () => {
    const h = await open({ maxLines: 1000, maxBytes: 1 << 20 });
    h.append(line('alpha', 'x'));
    for (const bad of ['../escape', 'Upper', 'a/b', '.hidden', '']) h.append(line(bad, 'x'));
    expect((await h.recent('alpha', 10, {})).records).toHaveLength(1);
    await expect(Promise.resolve().then(() => h.stats('../escape'))).rejects.toThrow(/not an app name/);
    await h.forget('alpha');
    expect((await h.recent('alpha', 10, {})).records).toEqual([]);
    expect((await h.stats('alpha')).lines).toBe(0);
    h.append(line('alpha', 'again'));
    expect((await h.recent('alpha', 10, {})).records.map((r) => `${r.id} ${r.message}`)).toEqual(['1 again']);
  });

  it('splits lines longer than 10 000 bytes without breaking characters', async () => {
    const h = await open({ maxLines: 1000, maxBytes: 1 << 20 });
    const long = `${'é'.repeat(MAX_LINE_BYTES)}end`;
    h.append(line('alpha', long));
    const records = (await h.recent('alpha', 10, {})).records;
    expect(records).toHaveLength(3);
    expect(records.every((r) => Buffer.byteLength(r.message) <= MAX_LINE_BYTES)).toBe(true);
    expect(records.map((r) => r.message).join('')).toBe(long);
  });
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
