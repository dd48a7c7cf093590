import { MetricsRecorder } from './core/metrics-recorder.js';
import type { AppObservation, MetricsSeries } from './core/ports/metrics-series.js';
import { LATENCY_BUCKETS, type RouterMetrics } from './router/router-metrics.js';
import type { LocalRuntime } from './runtime/local/local-runtime.js';
import { processMetrics } from './runtime/local/process-metrics.js';
import type { MetricsSource } from './shared-ports/metrics.js';

/** What the edge measures: the series it keeps (issue 16) and what /metrics shows. */
export interface EdgeMetrics {
  series: MetricsSeries;
  /** The router's counters and the processes' gauges. */
  source: MetricsSource;
  recorder: MetricsRecorder;
  stop(): void;
}

/**
 * The edge's metrics: a MetricsRecorder sampled at the end of every step (aligned to the clock,
 * so that steps are the same minutes everywhere) from the router's counters and the runtime's
 * processes. The edge outlives the control plane, and so do the series.
 */
export function edgeMetrics(stepSeconds: number, router: RouterMetrics, runtime: LocalRuntime): EdgeMetrics {
  const observe = (app: string): AppObservation => ({
    traffic: router.traffic(app),
    processes: runtime.formation(app).map((p) => ({ id: p.id, name: p.name, memoryBytes: p.rssBytes, cpuSeconds: p.cpuSeconds, restarts: p.restarts })),
  });
  const recorder = new MetricsRecorder({ stepSeconds, bounds: LATENCY_BUCKETS, apps: () => new Set([...router.apps.keys(), ...runtime.appNames()]), observe });
  const stepMs = stepSeconds * 1000;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      recorder.sample(Date.now());
      schedule();
    }, stepMs - (Date.now() % stepMs));
    timer.unref();
  };
  schedule();
  const processes = processMetrics(runtime);
  return {
    series: { series: (app, query) => Promise.resolve(recorder.series(app, query, Date.now())) },
    source: { collect: () => [...router.collect(), ...processes.collect()] },
    recorder,
    stop: () => {
      if (timer !== null) clearTimeout(timer);
    },
  };
}
