import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MS, renewAt, retryDelay } from './acme-schedule.js';

describe('automatic certificate schedule', () => {
  it('renews when a third of the lifetime is left', () => {
    expect(renewAt('2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(renewAt('2026-01-01T00:00:00.000Z', '2026-01-01T12:00:00.000Z')).toBe('2026-01-01T08:00:00.000Z');
  });

  it('backs off exponentially from the base, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(40, 60_000)).toBe(MAX_RETRY_MS);
  });
});
