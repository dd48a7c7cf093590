import { describe, expect, it } from 'vitest';
import { formatLogTime } from '../core/log-time.js';
import { LogBus, MAX_LINE_BYTES, splitLongLine } from './log-bus.js';

describe('LogBus', () => {
  it('keeps the newest lines per app in order, with increasing ids and times', () => {
    let t = 1_000;
    const bus = new LogBus({ linesPerApp: 3, nowMicros: () => t });
    for (let i = 1; i <= 5; i++) bus.append({ app: 'a', source: 'app', process: 'web.1', message: `m${i}` });
    bus.append({ app: 'b', source: 'app', process: 'web.1', message: 'other' });
    const recent = bus.recent('a', 10);
    expect(recent.map((r) => r.message)).toEqual(['m3', 'm4', 'm5']);
    expect(recent.map((r) => r.id)).toEqual(['3', '4', '5']);
    expect(recent.map((r) => r.timeMicros)).toEqual([1002, 1003, 1004]);
    expect(bus.recent('a', 2).map((r) => r.message)).toEqual(['m4', 'm5']);
    t = 5_000;
    bus.append({ app: 'a', source: 'app', process: 'web.1', message: 'late' });
    expect(bus.recent('a', 1)[0]?.timeMicros).toBe(5000);
  });

  it('delivers to subscribers until they unsubscribe, and survives a throwing one', () => {
    const bus = new LogBus({ linesPerApp: 10 });
    const seen: string[] = [];
    const stop = bus.subscribe('a', (r) => seen.push(r.message));
    bus.subscribe('a', () => {
      throw new Error('bad listener');
    });
    bus.append({ app: 'a', source: 'router', process: 'router', message: 'one' });
    stop();
    bus.append({ app: 'a', source: 'router', process: 'router', message: 'two' });
    expect(seen).toEqual(['one']);
    bus.forget('a');
    expect(bus.recent('a', 10)).toEqual([]);
  });

  it('splits long lines at 10 000 bytes without breaking characters', () => {
    const parts = splitLongLine('é'.repeat(MAX_LINE_BYTES));
    expect(parts.every((p) => Buffer.byteLength(p) <= MAX_LINE_BYTES)).toBe(true);
    expect(parts.join('')).toBe('é'.repeat(MAX_LINE_BYTES));
  });

  it('formats microsecond timestamps like Heroku', () => {
    expect(formatLogTime(Date.UTC(2026, 10, 24, 20, 15, 3) * 1000 + 123_456)).toBe('2026-11-24T20:15:03.123456+00:00');
  });
});
