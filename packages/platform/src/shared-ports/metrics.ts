/** Between adapters (no core file uses it): the router measures, the API exposes. */

/** One metric family, in Prometheus terms. `suffix` is `_bucket`, `_sum` or `_count` for histograms. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: { suffix?: string; labels: Record<string, string>; value: number }[];
}

/** Something that measures itself (the router); the API exposes what it collects at /metrics. */
export interface MetricsSource {
  collect(): MetricFamily[] | Promise<MetricFamily[]>;
}
