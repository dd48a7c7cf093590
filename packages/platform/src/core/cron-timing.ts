import { parseCron, previousRun } from './cron-expression.js';
import type { CronJob } from './model.js';

const MINUTE_MS = 60_000;

/** The next minute boundary after `now`, never one already ticked (a timer that fired a little early). */
export function nextMinute(now: number, lastTick: number): number {
  return Math.max(Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS, lastTick + MINUTE_MS);
}

/** Whether the job is due at this minute (UTC). */
export function isDue(job: CronJob, minute: number): boolean {
  return previousRun(parseCron(job.schedule), new Date(minute), new Date(minute))?.getTime() === minute;
}

/**
 * The time a job was due while the platform was down, to run once at start: its latest due time
 * after its last scheduled run (or its creation), up to now; null when it missed none.
 */
export function missedRun(job: CronJob, lastScheduled: string | null, now: Date): Date | null {
  const since = Date.parse(lastScheduled ?? job.createdAt);
  const notBefore = Math.floor(since / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  return previousRun(parseCron(job.schedule), now, new Date(notBefore));
}
