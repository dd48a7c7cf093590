import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { MetricsRecorder } from './metrics-recorder.js';
import type { AppObservation, ProcessCounters } from './ports/metrics-series.js';

const BOUNDS = [0.01, 0.1, 1];
const STEP = 60_000;
/** A step boundary, so that sample(T0 + n × STEP) closes step n - 1 after T0. */
const T0 = 1_700_000_040_000 - (1_700_000_040_000 % STEP);

/** A fake edge: cumulative router counters and processes that a test moves on. */
function edge() {
  const state = { byClass: [0, 0, 0, 0, 0], buckets: [0, 0, 0, 0], processes: [] as ProcessCounters[] };
  const observe = (): AppObservation => ({ traffic: { byClass: [...state.byClass], buckets: [...state.buckets] }, processes: state.processes.map((p) => ({ ...p })) });
  const request = (status: number, bucket: number, times = 1) => {
    const cls = Math.floor(status / 100) - 1;
    state.byClass[cls] = (state.byClass[cls] as number) + times;
    state.buckets[bucket] = (state.buckets[bucket] as number) + times;
  };
  return { state, observe, request };
}

function recorder(observe: () => AppObservation, points = 10) {
  return new MetricsRecorder({ stepSeconds: 60, bounds: BOUNDS, points, apps: () => ['hello'], observe });
}

describe('MetricsRecorder', () => {
  it('records per step what the counters gained, not their totals', () => {
    const { observe, request } = edge();
    const metrics = recorder(observe);
    request(200, 0, 10);
    metrics.sample(T0 + STEP);
    request(200, 0, 3);
    request(503, 2, 1);
    metrics.sample(T0 + 2 * STEP);
    const series = metrics.series('hello', { sinceMs: T0, stepSeconds: null }, T0 + 2 * STEP + 1000);
    expect(series.times).toEqual([T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120]);
    expect(series.status['2xx']).toEqual([10, 3, 0]);
    expect(series.status['5xx']).toEqual([0, 1, 0]);
    expect(series.latencyMs.p50[0]).toBe(5);
    expect(series.latencyMs.p99[1]).toBeGreaterThan(100);
  });

  it('shows what an app counted before the first sample (an edge that just started)', () => {
    const { observe, request } = edge();
    const metrics = recorder(observe);
    request(200, 0, 3);
    expect(metrics.series('hello', { sinceMs: T0, stepSeconds: null }, T0 + 1000).status['2xx']).toEqual([3]);
  });

  it('shows the step in progress without recording it', () => {
    const { observe, request } = edge();
    const metrics = recorder(observe);
    metrics.sample(T0 + STEP);
    request(200, 1, 4);
    const now = T0 + STEP + 30_000;
    expect(metrics.series('hello', { sinceMs: now - 1000, stepSeconds: null }, now).status['2xx']).toEqual([4]);
    request(404, 1, 1);
    metrics.sample(T0 + 2 * STEP);
    const series = metrics.series('hello', { sinceMs: T0, stepSeconds: null }, T0 + 2 * STEP);
    expect(series.status['2xx']).toEqual([0, 4, 0]);
    expect(series.status['4xx']).toEqual([0, 1, 0]);
  });

  it('keeps process memory, CPU % of a core and restarts per name, across a replacement', () => {
    const { state, observe } = edge();
    const metrics = recorder(observe);
    state.processes = [{ id: 'a', name: 'web.1', memoryBytes: 50e6, cpuSeconds: 1, restarts: 0 }];
    metrics.sample(T0 + STEP);
    state.processes = [{ id: 'a', name: 'web.1', memoryBytes: 60e6, cpuSeconds: 7, restarts: 2 }];
    metrics.sample(T0 + 2 * STEP);
    // A deploy replaced web.1: the new process's counters start from zero.
    state.processes = [{ id: 'b', name: 'web.1', memoryBytes: 40e6, cpuSeconds: 3, restarts: 0 }];
    metrics.sample(T0 + 3 * STEP);
    const [web] = metrics.series('hello', { sinceMs: T0, stepSeconds: null }, T0 + 3 * STEP).processes;
    expect(web?.name).toBe('web.1');
    expect(web?.memoryBytes.slice(0, 3)).toEqual([50e6, 60e6, 40e6]);
    expect(web?.cpuPercent.slice(0, 3)).toEqual([1.67, 10, 5]);
    expect(web?.restarts.slice(0, 3)).toEqual([0, 2, 0]);
  });

  it('groups recording steps at a coarser step: counts and buckets add up, memory is the most', () => {
    const { state, observe, request } = edge();
    const metrics = recorder(observe);
    for (let n = 1; n <= 4; n++) {
      request(200, 0, n);
      state.processes = [{ id: 'a', name: 'web.1', memoryBytes: n * 1e6, cpuSeconds: n * 6, restarts: 0 }];
      metrics.sample(T0 + n * STEP);
    }
    const series = metrics.series('hello', { sinceMs: T0, stepSeconds: 120 }, T0 + 4 * STEP);
    expect(series.stepSeconds).toBe(120);
    expect((series.times[0] as number) % 120).toBe(0);
    expect(series.status['2xx'].reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(10);
    expect(series.processes[0]?.memoryBytes.at(-2)).toBe(4e6);
  });

  it('keeps only the last `points` steps, whatever runs for how long', () => {
    const { observe, request } = edge();
    const metrics = recorder(observe, 5);
    for (let n = 1; n <= 50; n++) {
      request(200, 0);
      metrics.sample(T0 + n * STEP);
    }
    const bytes = metrics.bytes();
    const series = metrics.series('hello', { sinceMs: 0, stepSeconds: null }, T0 + 50 * STEP);
    expect(series.times).toHaveLength(5);
    expect(series.status['2xx']).toEqual([1, 1, 1, 1, 0]);
    for (let n = 51; n <= 100; n++) metrics.sample(T0 + n * STEP);
    expect(metrics.bytes()).toBe(bytes);
  });

  it('holds the size docs/decisions.md states: 118 KiB per app and 45 KiB per process at 1440 points', () => {
    const { state, observe, request } = edge();
    // The router's real bucket count: 13 bounds and the overflow.
    const metrics = new MetricsRecorder({ stepSeconds: 60, bounds: Array.from({ length: 13 }, (_, i) => i + 1), apps: () => ['hello'], observe: () => ({ ...observe(), traffic: { byClass: [0, 1, 0, 0, 0], buckets: Array.from({ length: 14 }, () => 0) } }) });
    state.processes = [
      { id: 'a', name: 'web.1', memoryBytes: 1, cpuSeconds: 1, restarts: 0 },
      { id: 'b', name: 'worker.1', memoryBytes: 1, cpuSeconds: 1, restarts: 0 },
    ];
    request(200, 0);
    for (let n = 1; n <= 3000; n++) metrics.sample(T0 + n * STEP);
    expect(metrics.points).toBe(1440);
    // 120 960 bytes for the app (118 KiB), 46 080 per process (45 KiB).
    expect(metrics.bytes()).toBe(120_960 + 2 * 46_080);
  });

  it('rounds a step up to a whole multiple of the recording step, and refuses one longer than what is kept', () => {
    const metrics = recorder(edge().observe);
    expect(metrics.series('hello', { sinceMs: T0, stepSeconds: 90 }, T0).stepSeconds).toBe(120);
    expect(metrics.series('hello', { sinceMs: T0, stepSeconds: 1 }, T0).stepSeconds).toBe(60);
    expect(() => metrics.series('hello', { sinceMs: T0, stepSeconds: 3600 }, T0)).toThrow(DozenError);
    expect(() => metrics.series('hello', { sinceMs: T0, stepSeconds: 3600 }, T0)).toThrow(/from 1 to 600/);
  });

  it('answers empty series for an app it never saw', () => {
    const metrics = recorder(() => ({ traffic: null, processes: [] }));
    const series = metrics.series('other', { sinceMs: T0, stepSeconds: null }, T0 + STEP);
    expect(series.status['2xx']).toEqual([null, null]);
    expect(series.processes).toEqual([]);
  });
});
