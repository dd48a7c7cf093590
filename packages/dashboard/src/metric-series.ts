import type { AppMetrics } from '@dozen/contracts';

/** The ranges the Metrics page offers: what it asks the API for (`since`, `step` in seconds; no step: the recording step). */
export const RANGES = [
  { id: '1h', label: '1 h', since: '1h', step: undefined },
  { id: '6h', label: '6 h', since: '6h', step: 300 },
  { id: '24h', label: '24 h', since: '24h', step: 600 },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export const PERCENTILES = ['p50', 'p95', 'p99'] as const;

type Column = (number | null)[];

/** One chart's data: the shared time column, then one column per named series (uPlot's shape). */
export interface ChartData {
  times: number[];
  series: { label: string; values: Column }[];
}

export function total(column: Column): number {
  return column.reduce((sum: number, n) => sum + (n ?? 0), 0);
}

/** The last value recorded (the step in progress may have none yet). */
export function lastValue(column: Column): number | null {
  for (let i = column.length - 1; i >= 0; i--) if (column[i] !== null && column[i] !== undefined) return column[i]!;
  return null;
}

export function divided(n: number | null, by: number): number | null {
  return n === null ? null : n / by;
}

/** Responses per step -> requests per second, per status class; classes that never answered are left out (2xx always shown). */
export function requestRates(m: AppMetrics): ChartData {
  const classes = STATUS_CLASSES.filter((cls) => cls === '2xx' || total(m.status[cls]) > 0);
  return { times: m.times, series: classes.map((cls) => ({ label: cls, values: m.status[cls].map((n) => divided(n, m.stepSeconds)) })) };
}

export function latencies(m: AppMetrics): ChartData {
  return { times: m.times, series: PERCENTILES.map((p) => ({ label: p, values: m.latencyMs[p] })) };
}

export function memoryMiB(m: AppMetrics): ChartData {
  return { times: m.times, series: m.processes.map((p) => ({ label: p.name, values: p.memoryBytes.map((n) => divided(n, 1048576)) })) };
}

export function cpuPercents(m: AppMetrics): ChartData {
  return { times: m.times, series: m.processes.map((p) => ({ label: p.name, values: p.cpuPercent })) };
}

export function restartCounts(m: AppMetrics): ChartData {
  return { times: m.times, series: m.processes.map((p) => ({ label: p.name, values: p.restarts })) };
}

/** The last CPU % of each process in the series (the overview's CPU column). */
export function lastCpuByProcess(m: AppMetrics | undefined): Map<string, number | null> {
  return new Map((m?.processes ?? []).map((p) => [p.name, lastValue(p.cpuPercent)]));
}

/** A number for a text summary: at most one decimal, '—' when nothing was recorded. */
export function shown(n: number | null, unit = ''): string {
  if (n === null) return '—';
  const text = Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
  return unit ? `${text} ${unit}` : text;
}
