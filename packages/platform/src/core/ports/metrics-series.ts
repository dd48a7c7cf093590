/**
 * The platform's own time series of an app (issue 16, Metrics): what the router measured and
 * what its processes used, one point per step (60 s by default), for the last 1440 steps.
 * The edge keeps them (core/metrics-recorder.ts), so they outlive a control plane's restart.
 */

/** The router's counters of one app since the edge started (cumulative). */
export interface TrafficCounters {
  /** Responses per status class: 1xx, 2xx, 3xx, 4xx, 5xx. */
  byClass: readonly number[];
  /** Requests per latency bucket (not cumulative); the last counts those above every bound. */
  buckets: readonly number[];
}

/** One running process of an app as sampled: gauges, and counters since it started. */
export interface ProcessCounters {
  /** Unique per process instance (a restart keeps it, a replacement changes it). */
  id: string;
  /** `web.1`: the series are kept per name. */
  name: string;
  memoryBytes: number | null;
  /** CPU time (user + system) of all its processes since it started, in seconds. */
  cpuSeconds: number | null;
  /** Restarts since it started. */
  restarts: number;
}

/** What the edge sees of one app at one moment. */
export interface AppObservation {
  traffic: TrafficCounters | null;
  processes: readonly ProcessCounters[];
}

/** The series of one app, column by column (one entry per step; null where nothing was recorded). */
export interface AppSeries {
  stepSeconds: number;
  /** The start of each step, in seconds since the epoch; the last one is the step in progress. */
  times: number[];
  /** Requests answered per step, per status class. */
  status: { '1xx': (number | null)[]; '2xx': (number | null)[]; '3xx': (number | null)[]; '4xx': (number | null)[]; '5xx': (number | null)[] };
  /** Latency percentiles per step (ms), estimated from the router's histogram; null without requests. */
  latencyMs: { p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[] };
  processes: ProcessSeries[];
}

export interface ProcessSeries {
  name: string;
  /** The most memory seen in the step (bytes). */
  memoryBytes: (number | null)[];
  /** CPU used in the step, in % of one core. */
  cpuPercent: (number | null)[];
  /** Restarts in the step. */
  restarts: (number | null)[];
}

export interface SeriesQuery {
  sinceMs: number;
  /** A whole multiple of the recording step; null: the recording step. */
  stepSeconds: number | null;
}

/** Where the API reads an app's series: the edge (in its process or over its socket). */
export interface MetricsSeries {
  series(app: string, query: SeriesQuery): Promise<AppSeries>;
}
