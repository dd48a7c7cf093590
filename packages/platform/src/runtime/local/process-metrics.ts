import type { ProcessStatus } from '../../core/model.js';
import type { MetricFamily } from '../../shared-ports/metrics.js';

/** What the runtime tells about its processes. */
export interface FormationView {
  appNames(): string[];
  formation(app: string): ProcessStatus[];
}

/**
 * The per-process gauges and counters of /metrics: memory, CPU time and restarts of each process
 * of each app's formation (one-offs left out), read when Prometheus scrapes.
 */
export function processMetrics(runtime: FormationView): { collect(): MetricFamily[] } {
  return {
    collect(): MetricFamily[] {
      const processes = runtime
        .appNames()
        .sort()
        .flatMap((app) => runtime.formation(app).map((p) => ({ app, p })));
      const family = (name: string, help: string, type: MetricFamily['type'], value: (p: ProcessStatus) => number | null): MetricFamily => ({ name, help, type, samples: samplesOf(processes, value) });
      return [
        family('dozen_process_memory_bytes', 'Memory of each process: what counts against its quota where cgroups are enforced, resident memory otherwise.', 'gauge', (p) => p.rssBytes),
        family('dozen_process_cpu_seconds_total', 'CPU time (user + system) of each process since it started (a new process starts from 0).', 'counter', (p) => p.cpuSeconds),
        family('dozen_process_restarts_total', 'Restarts of each process after it exited (crashes, R15), since the edge started it.', 'counter', (p) => p.restarts),
        family('dozen_process_up', '1 while the process is up (accepting, for web), 0 while starting, crashed or stopping.', 'gauge', (p) => (p.state === 'up' ? 1 : 0)),
      ];
    },
  };
}

/**
 * One sample per app, process name and release; two processes of one name and release (one still
 * stopping) add up, so that no label set appears twice.
 */
function samplesOf(processes: { app: string; p: ProcessStatus }[], value: (p: ProcessStatus) => number | null): MetricFamily['samples'] {
  const samples = new Map<string, MetricFamily['samples'][number]>();
  for (const { app, p } of processes) {
    const v = value(p);
    if (v === null) continue;
    const key = `${app}\0${p.name}\0${p.release}`;
    const sample = samples.get(key);
    if (sample) sample.value += v;
    else samples.set(key, { labels: { app, process: p.name, release: String(p.release) }, value: v });
  }
  return [...samples.values()];
}
