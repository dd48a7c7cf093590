import { describe, expect, it } from 'vitest';
import { defaultBackoff, restartDelay } from './restart-backoff.js';

describe('restartDelay', () => {
  const noJitter = { ...defaultBackoff, jitter: 0 };
  it('restarts at once after the first crash, then doubles up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 12].map((n) => restartDelay(n, noJitter, () => 0.5));
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 300_000]);
  });

  it('jitters within the configured share and never past the cap', () => {
    expect(restartDelay(3, defaultBackoff, () => 0)).toBe(1800);
    expect(restartDelay(3, defaultBackoff, () => 1)).toBe(2200);
    expect(restartDelay(30, defaultBackoff, () => 1)).toBe(300_000);
  });
});
