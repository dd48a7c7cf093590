import type { AppMetrics } from '@dozen/contracts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200];

/** A round step that shows `since` in about 12 rows; undefined when `since` is not understood here (the API says why). */
export function defaultStep(since: string, nowMs: number): number | undefined {
  const duration = /^(\d{1,9})([smhd])$/.exec(since);
  const time = duration ? nowMs - Number(duration[1]) * (UNITS[duration[2] as string] as number) * 1000 : Date.parse(since);
  if (Number.isNaN(time)) return undefined;
  const seconds = Math.max(60, (nowMs - time) / 1000 / 12);
  return STEPS.find((step) => step >= seconds) ?? STEPS[STEPS.length - 1];
}

/** One row per step: requests and their classes, latency percentiles. */
export function metricsRows(m: AppMetrics): string[][] {
  const rows = [['TIME', 'REQUESTS', '2XX', '3XX', '4XX', '5XX', 'P50 MS', 'P95 MS', 'P99 MS']];
  m.times.forEach((t, i) => {
    const classes = (['1xx', '2xx', '3xx', '4xx', '5xx'] as const).map((c) => m.status[c][i] ?? null);
    const total = classes.every((n) => n === null) ? null : classes.reduce((a: number, n) => a + (n ?? 0), 0);
    rows.push([clock(t), cell(total), ...classes.slice(1).map((n) => cell(n)), ...[m.latencyMs.p50, m.latencyMs.p95, m.latencyMs.p99].map((c) => cell(c[i] ?? null, 1))]);
  });
  return rows;
}

/** One row per process: its latest memory, its average CPU and its restarts over the window. */
export function processRows(m: AppMetrics): string[][] {
  const rows = [['PROCESS', 'MEMORY', 'PEAK MEMORY', 'CPU AVG', 'CPU PEAK', 'RESTARTS']];
  for (const p of m.processes) {
    const memory = p.memoryBytes.filter((n): n is number => n !== null);
    const cpu = p.cpuPercent.filter((n): n is number => n !== null);
    const restarts = p.restarts.reduce((a: number, n) => a + (n ?? 0), 0);
    rows.push([p.name, mb(memory.at(-1)), mb(memory.length ? Math.max(...memory) : undefined), percent(cpu.length ? cpu.reduce((a, n) => a + n, 0) / cpu.length : undefined), percent(cpu.length ? Math.max(...cpu) : undefined), String(restarts)]);
  }
  return rows;
}

function clock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(5, 16).replace('T', ' ');
}

function cell(n: number | null, digits = 0): string {
  return n === null ? '-' : n.toFixed(digits);
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function percent(n: number | undefined): string {
  return n === undefined ? '-' : `${n.toFixed(1)}%`;
}
