/**
 * Crash restart delays: the first restart is immediate, then the delay doubles from one second
 * up to a cap (Heroku restarts at once, then cools off; Docker doubles from 100 ms). A process
 * that stayed up for `resetAfterMs` starts over from an immediate restart.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  resetAfterMs: number;
  /** 0..1: the share of the delay that is randomised, so that crash loops do not align. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60_000, resetAfterMs: 10 * 60_000, jitter: 0.2 };

/** `crashes` counts consecutive crashes, this one included (1 = first crash). */
export function restartDelay(crashes: number, policy: BackoffPolicy, random: () => number): number {
  if (crashes <= 1) return 0;
  const raw = Math.min(policy.capMs, policy.baseMs * 2 ** (crashes - 2));
  const spread = raw * policy.jitter;
  return Math.round(Math.min(policy.capMs, raw - spread / 2 + spread * random()));
}
