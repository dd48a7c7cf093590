import { describe, expect, it } from 'vitest';
import { latencyQuantileMs } from './latency-quantile.js';

const BOUNDS = [0.01, 0.1, 1];

describe('latencyQuantileMs', () => {
  it('is null for an empty histogram', () => {
    expect(latencyQuantileMs(BOUNDS, [0, 0, 0, 0], 0.5)).toBeNull();
  });

  it('interpolates inside the first bucket from zero', () => {
    // 10 requests all under 10 ms: the median is half way up the bucket.
    expect(latencyQuantileMs(BOUNDS, [10, 0, 0, 0], 0.5)).toBe(5);
  });

  it('interpolates between the bounds of the bucket that holds the rank', () => {
    // 50 under 10 ms, 50 between 10 and 100 ms: p95 is 90% of the way through the second bucket.
    expect(latencyQuantileMs(BOUNDS, [50, 50, 0, 0], 0.95)).toBeCloseTo(91, 6);
    expect(latencyQuantileMs(BOUNDS, [50, 50, 0, 0], 0.5)).toBe(10);
  });

  it('skips empty buckets', () => {
    expect(latencyQuantileMs(BOUNDS, [0, 0, 4, 0], 0.5)).toBe(550);
  });

  it('answers the highest bound for ranks in the overflow bucket', () => {
    expect(latencyQuantileMs(BOUNDS, [1, 0, 0, 99], 0.99)).toBe(1000);
  });

  it('orders p50 <= p95 <= p99', () => {
    const counts = [30, 40, 25, 5];
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => latencyQuantileMs(BOUNDS, counts, q) as number);
    expect(p50).toBeLessThanOrEqual(p95 as number);
    expect(p95).toBeLessThanOrEqual(p99 as number);
  });
});
