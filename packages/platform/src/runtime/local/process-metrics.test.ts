import { describe, expect, it } from 'vitest';
import type { ProcessStatus } from '../../core/model.js';
import type { MetricFamily } from '../../shared-ports/metrics.js';
import { processMetrics } from './process-metrics.js';

function proc(name: string, release: number, over: Partial<ProcessStatus> = {}): ProcessStatus {
  const [type, index] = name.split('.');
  return {
    id: `${name}-${release}-${Math.random()}`, name, type: type as string, index: Number(index), release, state: 'up', command: 'node server.js', pid: 10, port: 5000,
    startedAt: null, restarts: 0, lastExit: null, nextRestartAt: null, rssBytes: 1000, cpuSeconds: 2, size: null, memoryQuotaBytes: null, sandboxed: true, ...over,
  };
}

describe('processMetrics', () => {
  it('gives each process of each app its memory, CPU time, restarts and up gauge', () => {
    const apps: Record<string, ProcessStatus[]> = {
      shop: [proc('web.1', 3, { rssBytes: 5e6, cpuSeconds: 1.5, restarts: 2 }), proc('worker.1', 3, { state: 'crashed', rssBytes: null, cpuSeconds: null })],
      blog: [proc('web.1', 1)],
    };
    const families = processMetrics({ appNames: () => Object.keys(apps), formation: (app) => apps[app] ?? [] }).collect() as MetricFamily[];
    const byName = Object.fromEntries(families.map((f) => [f.name, f.samples]));
    expect(byName.dozen_process_memory_bytes).toEqual([
      { labels: { app: 'blog', process: 'web.1', release: '1' }, value: 1000 },
      { labels: { app: 'shop', process: 'web.1', release: '3' }, value: 5e6 },
    ]);
    expect(byName.dozen_process_cpu_seconds_total?.map((s) => s.value)).toEqual([2, 1.5]);
    expect(byName.dozen_process_restarts_total?.map((s) => s.value)).toEqual([0, 2, 0]);
    expect(byName.dozen_process_up?.map((s) => s.value)).toEqual([1, 1, 0]);
  });

  it('adds up two processes of one name and release (one still stopping): no label set twice', () => {
    const both = [proc('web.1', 2, { rssBytes: 100 }), proc('web.1', 2, { rssBytes: 50, state: 'stopping' }), proc('web.1', 3, { rssBytes: 7 })];
    const families = processMetrics({ appNames: () => ['shop'], formation: () => both }).collect() as MetricFamily[];
    expect(families.find((f) => f.name === 'dozen_process_memory_bytes')?.samples.map((s) => [s.labels.release, s.value])).toEqual([['2', 150], ['3', 7]]);
  });
});
