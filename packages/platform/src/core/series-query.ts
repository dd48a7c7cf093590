import { latencyQuantileMs } from './latency-quantile.js';
import type { ProcessUse } from './metrics-slots.js';
import type { AppSeries, ProcessSeries } from './ports/metrics-series.js';

/** Reads one recording step (its number: time / base step). */
export interface StepReader {
  /** Counts per status class then per latency bucket, or null when none were recorded. */
  traffic(step: number): number[] | null;
  process(name: string, step: number): ProcessUse | null;
  /** How long the step covers: a whole step, or what has elapsed of the step in progress. */
  seconds(step: number): number;
}

export interface SeriesInput {
  reader: StepReader;
  names: readonly string[];
  bounds: readonly number[];
  /** The recording step and the asked one (a whole multiple of it), in ms. */
  baseMs: number;
  stepMs: number;
  /** The first and the last (in progress) recording step to read. */
  first: number;
  current: number;
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * The columns of an app's series at the asked step: recording steps are grouped by time
 * (`stepMs` apart, aligned to the epoch); within a group the counts and latency buckets add up,
 * the memory is the most seen, the CPU is its time over the time covered, restarts add up.
 * A group with nothing recorded is null.
 */
export function seriesOf(input: SeriesInput): AppSeries {
  const per = input.stepMs / input.baseMs;
  const groups: number[][] = [];
  for (let group = Math.floor(input.first / per); group <= Math.floor(input.current / per); group++) {
    const steps: number[] = [];
    for (let step = Math.max(group * per, input.first); step < (group + 1) * per && step <= input.current; step++) steps.push(step);
    groups.push(steps);
  }
  const traffic = groups.map((steps) => sumTraffic(steps.map((step) => input.reader.traffic(step))));
  const series: AppSeries = {
    stepSeconds: input.stepMs / 1000,
    times: groups.map((steps) => (Math.floor((steps[0] as number) / per) * input.stepMs) / 1000),
    status: { '1xx': [], '2xx': [], '3xx': [], '4xx': [], '5xx': [] },
    latencyMs: { p50: [], p95: [], p99: [] },
    processes: input.names.map((name) => processSeries(input.reader, name, groups)),
  };
  for (const counts of traffic) {
    CLASSES.forEach((cls, i) => series.status[cls].push(counts === null ? null : (counts[i] as number)));
    const buckets = counts?.slice(CLASSES.length) ?? [];
    series.latencyMs.p50.push(latencyQuantileMs(input.bounds, buckets, 0.5));
    series.latencyMs.p95.push(latencyQuantileMs(input.bounds, buckets, 0.95));
    series.latencyMs.p99.push(latencyQuantileMs(input.bounds, buckets, 0.99));
  }
  return series;
}

function sumTraffic(steps: (number[] | null)[]): number[] | null {
  let total: number[] | null = null;
  for (const counts of steps) {
    if (counts === null) continue;
    total = total === null ? [...counts] : total.map((n, i) => n + (counts[i] as number));
  }
  return total;
}

function processSeries(reader: StepReader, name: string, groups: number[][]): ProcessSeries {
  const series: ProcessSeries = { name, memoryBytes: [], cpuPercent: [], restarts: [] };
  for (const steps of groups) {
    let memory: number | null = null;
    let cpu: number | null = null;
    let seconds = 0;
    let restarts: number | null = null;
    for (const step of steps) {
      const use = reader.process(name, step);
      if (use === null) continue;
      if (use.memoryBytes !== null) memory = Math.max(memory ?? 0, use.memoryBytes);
      if (use.cpuSeconds !== null) {
        cpu = (cpu ?? 0) + use.cpuSeconds;
        seconds += reader.seconds(step);
      }
      restarts = (restarts ?? 0) + use.restarts;
    }
    series.memoryBytes.push(memory);
    series.cpuPercent.push(cpu === null ? null : Math.round((cpu / seconds) * 100 * 100) / 100);
    series.restarts.push(restarts);
  }
  return series;
}
