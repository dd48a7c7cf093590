import { describe, expect, it } from 'vitest';
import type { AppMetrics } from '@dozen/contracts';
import { defaultStep, metricsRows, processRows } from './metrics-table.js';

const NOW = Date.parse('2026-12-06T10:00:00Z');

describe('defaultStep', () => {
  it('picks a round step that shows the window in about 12 rows', () => {
    expect(defaultStep('1h', NOW)).toBe(300);
    expect(defaultStep('10m', NOW)).toBe(60);
    expect(defaultStep('24h', NOW)).toBe(7200);
    expect(defaultStep('2026-12-06T08:00:00Z', NOW)).toBe(600);
  });

  it('leaves a since it does not understand to the API', () => {
    expect(defaultStep('yesterday', NOW)).toBeUndefined();
  });
});

describe('metrics tables', () => {
  const metrics: AppMetrics = {
    app: 'hello',
    stepSeconds: 60,
    times: [1_796_551_200, 1_796_551_260],
    status: { '1xx': [0, null], '2xx': [7, null], '3xx': [1, null], '4xx': [2, null], '5xx': [0, null] },
    latencyMs: { p50: [3.25, null], p95: [12, null], p99: [40.5, null] },
    processes: [{ name: 'web.1', memoryBytes: [50 * 1024 * 1024, 60 * 1024 * 1024], cpuPercent: [1, 3], restarts: [0, 1] }],
    deploys: [],
  };

  it('shows one row per step, totals and percentiles, and - where nothing was recorded', () => {
    const rows = metricsRows(metrics);
    expect(rows[1]).toEqual(['12-06 10:00', '10', '7', '1', '2', '0', '3.3', '12.0', '40.5']);
    expect(rows[2]).toEqual(['12-06 10:01', '-', '-', '-', '-', '-', '-', '-', '-']);
  });

  it('shows each process with its latest and peak memory, CPU and restarts', () => {
    expect(processRows(metrics)[1]).toEqual(['web.1', '60.0 MB', '60.0 MB', '2.0%', '3.0%', '1']);
  });
});
