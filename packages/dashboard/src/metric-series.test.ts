import type { AppMetrics } from '@dozen/contracts';
import { describe, expect, it } from 'vitest';
import { lastCpuByProcess, lastValue, memoryMiB, requestRates, shown } from './metric-series.js';

const empty = [null, null, null];
const metrics: AppMetrics = {
  app: 'shop',
  stepSeconds: 60,
  times: [0, 60, 120],
  status: { '1xx': empty, '2xx': [120, null, 30], '3xx': empty, '4xx': [0, 6, null], '5xx': empty },
  latencyMs: { p50: [3, null, 4], p95: [9, null, 8], p99: [12, null, 20] },
  processes: [{ name: 'web.1', memoryBytes: [1048576, 2097152, null], cpuPercent: [1.5, 2.25, null], restarts: [0, 1, 0] }],
  deploys: [],
};

describe('the Metrics page series', () => {
  it('turns responses per step into requests per second, keeping 2xx and the classes that answered', () => {
    const rates = requestRates(metrics);
    expect(rates.series.map((s) => s.label)).toEqual(['2xx', '4xx']);
    expect(rates.series[0]?.values).toEqual([2, null, 0.5]);
    expect(rates.series[1]?.values).toEqual([0, 0.1, null]);
  });

  it('reads the last recorded value, skipping the steps with none', () => {
    expect(lastValue([1, 2, null])).toBe(2);
    expect(lastValue([null, null])).toBeNull();
    expect(lastCpuByProcess(metrics).get('web.1')).toBe(2.25);
    expect(lastCpuByProcess(undefined).size).toBe(0);
  });

  it('shows memory in MiB and numbers with a unit, or a dash for none', () => {
    expect(memoryMiB(metrics).series[0]?.values).toEqual([1, 2, null]);
    expect(shown(2.25, '%')).toBe('2.25 %');
    expect(shown(40)).toBe('40');
    expect(shown(12.345, 'ms')).toBe('12.3 ms');
    expect(shown(null)).toBe('—');
  });
});
