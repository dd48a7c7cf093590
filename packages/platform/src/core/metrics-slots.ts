/**
 * The bounded stores behind the metrics series: `capacity` slots addressed by step number
 * (step % capacity), each remembering which step it holds, so a slot of a step that is gone
 * reads as empty and a new step simply overwrites it. Nothing grows with time.
 */

/** Per app: one Uint32 per status class and latency bucket, per step. */
export class TrafficSlots {
  private readonly steps: Float64Array;
  private readonly counts: Uint32Array;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    this.steps = new Float64Array(capacity).fill(-1);
    this.counts = new Uint32Array(capacity * width);
  }

  /** Adds `delta` to the counts of `step`. */
  add(step: number, delta: readonly number[]): void {
    const at = this.claim(step);
    for (let i = 0; i < this.width; i++) this.counts[at + i] = (this.counts[at + i] as number) + (delta[i] as number);
  }

  /** The counts of `step`, or null when it holds no data. */
  read(step: number): number[] | null {
    const slot = step % this.capacity;
    if (this.steps[slot] !== step) return null;
    return Array.from(this.counts.subarray(slot * this.width, (slot + 1) * this.width));
  }

  get bytes(): number {
    return this.steps.byteLength + this.counts.byteLength;
  }

  private claim(step: number): number {
    const slot = step % this.capacity;
    if (this.steps[slot] !== step) {
      this.steps[slot] = step;
      this.counts.fill(0, slot * this.width, (slot + 1) * this.width);
    }
    return slot * this.width;
  }
}

/** What one process name used in one step. */
export interface ProcessUse {
  memoryBytes: number | null;
  cpuSeconds: number | null;
  restarts: number;
}

/** Per process name: the most memory, the CPU seconds and the restarts of each step. */
export class ProcessSlots {
  private readonly steps: Float64Array;
  /** memory, cpu seconds, restarts; NaN for unknown. */
  private readonly values: Float64Array;
  lastStep = -1;

  constructor(readonly capacity: number) {
    this.steps = new Float64Array(capacity).fill(-1);
    this.values = new Float64Array(capacity * 3);
  }

  add(step: number, use: ProcessUse): void {
    const slot = step % this.capacity;
    const at = slot * 3;
    if (this.steps[slot] !== step) {
      this.steps[slot] = step;
      this.values.fill(Number.NaN, at, at + 2);
      this.values[at + 2] = 0;
    }
    if (use.memoryBytes !== null) this.values[at] = Math.max(use.memoryBytes, nanTo(this.values[at], 0));
    if (use.cpuSeconds !== null) this.values[at + 1] = nanTo(this.values[at + 1], 0) + use.cpuSeconds;
    this.values[at + 2] = (this.values[at + 2] as number) + use.restarts;
    this.lastStep = Math.max(this.lastStep, step);
  }

  read(step: number): ProcessUse | null {
    const slot = step % this.capacity;
    if (this.steps[slot] !== step) return null;
    const at = slot * 3;
    return { memoryBytes: nanToNull(this.values[at]), cpuSeconds: nanToNull(this.values[at + 1]), restarts: this.values[at + 2] as number };
  }

  get bytes(): number {
    return this.steps.byteLength + this.values.byteLength;
  }
}

function nanTo(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : value;
}

function nanToNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}
