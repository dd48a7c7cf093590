import { DozenError } from '@dozen/contracts/errors';
import type { AppObservation, AppSeries, SeriesQuery } from './ports/metrics-series.js';
import { ProcessSlots, TrafficSlots, type ProcessUse } from './metrics-slots.js';
import { seriesOf, type StepReader } from './series-query.js';

/** 24 h at the default step of 60 s (Heroku keeps 2 h at 1 min). */
export const METRICS_POINTS = 1440;
const CLASSES = 5;

export interface RecorderOptions {
  stepSeconds: number;
  /** The router's latency bucket bounds (seconds). */
  bounds: readonly number[];
  /** Steps kept per series (default METRICS_POINTS). */
  points?: number;
  /** The apps there is something to see of (the router's and the runtime's). */
  apps(): Iterable<string>;
  observe(app: string): AppObservation;
}

/** Per process instance (id): the counters at the last sample. */
interface Seen {
  cpuSeconds: number | null;
  restarts: number;
}

class AppRecord {
  lastTraffic: number[] | null = null;
  readonly seen = new Map<string, Seen>();
  readonly traffic: TrafficSlots;
  readonly processes = new Map<string, ProcessSlots>();
  lastStep = -1;

  constructor(readonly capacity: number, width: number) {
    this.traffic = new TrafficSlots(capacity, width);
  }
}

/**
 * The metrics series of every app (issue 16): level-triggered sampling. Each step, `sample`
 * observes every app (the router's cumulative counters, each process's memory, CPU time and
 * restarts) and adds what changed since the last sample to the step that ended. A query adds the
 * step in progress without recording it. Pure: the caller brings the time and the timer.
 *
 * Size per app (default 1440 points): 1440 × (8 + 4 × (5 classes + 14 buckets)) = 118 KiB, plus
 * 1440 × 32 = 45 KiB per process name; nothing grows with time (metrics-slots.ts).
 */
export class MetricsRecorder {
  readonly stepMs: number;
  readonly points: number;
  private readonly apps = new Map<string, AppRecord>();

  constructor(private readonly options: RecorderOptions) {
    this.stepMs = options.stepSeconds * 1000;
    this.points = options.points ?? METRICS_POINTS;
  }

  /** Records the step that ended at about `nowMs` (a timer calls it at each step's end). */
  sample(nowMs: number): void {
    const step = Math.round(nowMs / this.stepMs) - 1;
    const live = new Set<string>();
    for (const app of this.options.apps()) {
      live.add(app);
      const record = this.recordOf(app);
      const change = changeOf(record, this.options.observe(app), true);
      if (change.traffic !== null) record.traffic.add(step, change.traffic);
      for (const [name, use] of change.processes) this.processSlots(record, name).add(step, use);
      record.lastStep = step;
    }
    this.prune(step, live);
  }

  /** The series of `app` since `query.sinceMs`, the step in progress last. */
  series(app: string, query: SeriesQuery, nowMs: number): AppSeries {
    const stepMs = this.queryStep(query.stepSeconds);
    const current = Math.floor(nowMs / this.stepMs);
    // An app first seen now (the edge started within the step) shows what it has counted so far;
    // the next sample drops it again if the edge has nothing of it.
    const record = this.recordOf(app);
    const live = changeOf(record, this.options.observe(app), false);
    const elapsedSeconds = Math.max(0.001, (nowMs - current * this.stepMs) / 1000);
    const reader: StepReader = {
      traffic: (step) => {
        const stored = record.traffic.read(step);
        if (step !== current || live.traffic === null) return stored;
        return stored === null ? live.traffic : stored.map((n, i) => n + (live.traffic?.[i] as number));
      },
      process: (name, step) => {
        const stored = record.processes.get(name)?.read(step) ?? null;
        const now = step === current ? (live.processes.get(name) ?? null) : null;
        return now === null ? stored : stored === null ? now : merge(stored, now);
      },
      seconds: (step) => (step === current ? elapsedSeconds : this.stepMs / 1000),
    };
    const names = [...new Set([...record.processes.keys(), ...live.processes.keys()])].sort(byProcessName);
    return seriesOf({ reader, names, bounds: this.options.bounds, baseMs: this.stepMs, stepMs, first: Math.min(current, Math.max(current - this.points + 1, Math.floor(query.sinceMs / this.stepMs))), current });
  }

  /** Bytes held by the series (the typed arrays). */
  bytes(): number {
    let total = 0;
    for (const record of this.apps.values()) {
      total += record.traffic.bytes;
      for (const slots of record.processes.values()) total += slots.bytes;
    }
    return total;
  }

  /** The asked step, rounded up to a whole multiple of the recording step. */
  private queryStep(stepSeconds: number | null): number {
    if (stepSeconds === null) return this.stepMs;
    if (!Number.isInteger(stepSeconds) || stepSeconds < 1 || stepSeconds * 1000 > this.stepMs * this.points) {
      throw new DozenError('METRICS_QUERY_INVALID', `step=${stepSeconds} is not a whole number of seconds from 1 to ${(this.stepMs * this.points) / 1000} (what is kept).`);
    }
    return Math.ceil((stepSeconds * 1000) / this.stepMs) * this.stepMs;
  }

  private recordOf(app: string): AppRecord {
    let record = this.apps.get(app);
    if (!record) {
      record = new AppRecord(this.points, CLASSES + this.options.bounds.length + 1);
      this.apps.set(app, record);
    }
    return record;
  }

  private processSlots(record: AppRecord, name: string): ProcessSlots {
    let slots = record.processes.get(name);
    if (!slots) {
      slots = new ProcessSlots(record.capacity);
      record.processes.set(name, slots);
    }
    return slots;
  }

  /** Series with nothing in the window are dropped: a gone process, a destroyed app. */
  private prune(step: number, live: Set<string>): void {
    const oldest = step - this.points;
    for (const [app, record] of this.apps) {
      for (const [name, slots] of record.processes) if (slots.lastStep <= oldest) record.processes.delete(name);
      if (!live.has(app) && record.lastStep <= oldest) this.apps.delete(app);
    }
  }
}

interface Change {
  traffic: number[] | null;
  processes: Map<string, ProcessUse>;
}

/**
 * What changed since the last sample: counter differences (a counter that went down was reset,
 * so it counts from zero), the memory seen now. `commit` makes now the last sample.
 */
function changeOf(record: AppRecord, observation: AppObservation, commit: boolean): Change {
  const now = observation.traffic === null ? null : [...observation.traffic.byClass, ...observation.traffic.buckets];
  const traffic = now === null ? null : difference(now, record.lastTraffic);
  const processes = new Map<string, ProcessUse>();
  for (const p of observation.processes) {
    const before = record.seen.get(p.id);
    const use = processes.get(p.name) ?? { memoryBytes: null, cpuSeconds: null, restarts: 0 };
    processes.set(p.name, {
      memoryBytes: p.memoryBytes === null ? use.memoryBytes : (use.memoryBytes ?? 0) + p.memoryBytes,
      cpuSeconds: p.cpuSeconds === null ? use.cpuSeconds : (use.cpuSeconds ?? 0) + counted(p.cpuSeconds, before?.cpuSeconds ?? null),
      restarts: use.restarts + counted(p.restarts, before?.restarts ?? null),
    });
  }
  if (commit) {
    if (now !== null) record.lastTraffic = now;
    record.seen.clear();
    for (const p of observation.processes) record.seen.set(p.id, { cpuSeconds: p.cpuSeconds, restarts: p.restarts });
  }
  return { traffic, processes };
}

function difference(now: number[], before: number[] | null): number[] {
  if (before === null || before.length !== now.length || now.some((n, i) => n < (before[i] as number))) return now;
  return now.map((n, i) => n - (before[i] as number));
}

function counted(now: number, before: number | null): number {
  return before === null || now < before ? now : now - before;
}

function merge(a: ProcessUse, b: ProcessUse): ProcessUse {
  const memory = a.memoryBytes === null ? b.memoryBytes : b.memoryBytes === null ? a.memoryBytes : Math.max(a.memoryBytes, b.memoryBytes);
  const cpu = a.cpuSeconds === null ? b.cpuSeconds : b.cpuSeconds === null ? a.cpuSeconds : a.cpuSeconds + b.cpuSeconds;
  return { memoryBytes: memory, cpuSeconds: cpu, restarts: a.restarts + b.restarts };
}

/** web.2 before web.10. */
function byProcessName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
