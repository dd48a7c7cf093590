import type { TrafficCounters } from '../core/ports/metrics-series.js';
import type { MetricFamily, MetricsSource } from '../shared-ports/metrics.js';

/** Upper bounds (seconds) of the request duration histogram. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** Counters of one app, updated on the hot path with plain arithmetic. */
export class AppMetrics {
  readonly byClass = [0, 0, 0, 0, 0];
  /** Per bucket (not cumulative); the last slot counts what is above every bound. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  sum = 0;
  count = 0;
  /** Requests in flight plus open tunnels. */
  open = 0;
  readonly errors = new Map<string, number>();

  observe(status: number, ms: number): void {
    const cls = Math.floor(status / 100) - 1;
    if (cls >= 0 && cls < 5) this.byClass[cls] = (this.byClass[cls] as number) + 1;
    const seconds = ms / 1000;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] as number) + 1;
    this.sum += seconds;
    this.count++;
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

/** What the router measures: per app, and for the edge as a whole. */
export class RouterMetrics implements MetricsSource {
  readonly apps = new Map<string, AppMetrics>();
  /** Client connections open now. */
  connections = 0;
  /** Connections turned away with a 503 because the router was at its connection limit. */
  rejected = 0;
  /** Requests refused before routing (malformed, too large, too slow). */
  refused = 0;
  /** TLS handshakes that failed (no certificate for the name, a bad ClientHello, too slow). */
  tlsFailed = 0;

  app(name: string): AppMetrics {
    let metrics = this.apps.get(name);
    if (!metrics) {
      metrics = new AppMetrics();
      this.apps.set(name, metrics);
    }
    return metrics;
  }

  /** An app's counters so far, for the metrics series; null before its first request. */
  traffic(app: string): TrafficCounters | null {
    const metrics = this.apps.get(app);
    return metrics ? { byClass: [...metrics.byClass], buckets: Array.from(metrics.buckets) } : null;
  }

  collect(): MetricFamily[] {
    const apps = [...this.apps.entries()].sort(([a], [b]) => a.localeCompare(b));
    return [
      {
        name: 'dozen_router_requests_total',
        help: 'Requests answered, per app and status class.',
        type: 'counter',
        samples: apps.flatMap(([app, m]) => CLASSES.map((cls, i) => ({ labels: { app, status: cls }, value: m.byClass[i] as number }))),
      },
      { name: 'dozen_router_request_duration_seconds', help: 'Time from the request head to the end of the response, per app.', type: 'histogram', samples: apps.flatMap(([app, m]) => histogram(app, m)) },
      { name: 'dozen_router_app_open_connections', help: 'Requests in flight and open tunnels (WebSockets), per app.', type: 'gauge', samples: apps.map(([app, m]) => ({ labels: { app }, value: m.open })) },
      {
        name: 'dozen_router_upstream_errors_total',
        help: 'Requests the router answered itself, per app and code (H10 crashed, H12 timeout, H13 closed, H14 no process, H15 idle, H27 client gone).',
        type: 'counter',
        samples: apps.flatMap(([app, m]) => [...m.errors.entries()].sort().map(([code, value]) => ({ labels: { app, code }, value }))),
      },
      { name: 'dozen_router_open_connections', help: 'Client connections open now.', type: 'gauge', samples: [{ labels: {}, value: this.connections }] },
      { name: 'dozen_router_rejected_connections_total', help: 'Connections refused with a 503 at the connection limit.', type: 'counter', samples: [{ labels: {}, value: this.rejected }] },
      { name: 'dozen_router_refused_requests_total', help: 'Requests refused before routing (malformed, too large, too slow).', type: 'counter', samples: [{ labels: {}, value: this.refused }] },
      { name: 'dozen_router_tls_handshake_failures_total', help: 'TLS handshakes that failed (unknown server name, bad ClientHello, too slow).', type: 'counter', samples: [{ labels: {}, value: this.tlsFailed }] },
    ];
  }
}

function histogram(app: string, m: AppMetrics): MetricFamily['samples'] {
  const samples: MetricFamily['samples'] = [];
  let cumulative = 0;
  LATENCY_BUCKETS.forEach((le, i) => {
    cumulative += m.buckets[i] as number;
    samples.push({ suffix: '_bucket', labels: { app, le: String(le) }, value: cumulative });
  });
  samples.push({ suffix: '_bucket', labels: { app, le: '+Inf' }, value: m.count });
  samples.push({ suffix: '_sum', labels: { app }, value: m.sum });
  samples.push({ suffix: '_count', labels: { app }, value: m.count });
  return samples;
}
