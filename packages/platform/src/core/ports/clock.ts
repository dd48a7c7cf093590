/** Time, for the core: it takes the time and its timers from nowhere else. */
export interface Clock {
  now(): Date;
  /** Calls `fn` once, `ms` from now; the function returned cancels it. */
  after(ms: number, fn: () => void): () => void;
}
