/**
 * DOZEN_BACKUP_SCHEDULE: `off`, an interval (`30m`, `6h`, `1d`: from the last scheduled backup) or
 * a time of day in UTC (`daily 02:00`). Parsed by config.ts, followed by the backup scheduler.
 */
export type BackupSchedule = { kind: 'off' } | { kind: 'every'; ms: number } | { kind: 'daily'; hour: number; minute: number };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** An interval shorter than this would back up faster than a backup can run. */
const MIN_INTERVAL_MS = 5 * 60_000;

/** The schedule, or a sentence saying what is wrong with `text` (config.ts names the variable). */
export function parseBackupSchedule(text: string): BackupSchedule | string {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === '') return { kind: 'off' };
  const every = /^(\d{1,6})(m|h|d)$/.exec(value);
  if (every) {
    const ms = Number(every[1]) * UNIT_MS[every[2] as keyof typeof UNIT_MS];
    if (ms < MIN_INTERVAL_MS) return `"${text}" is shorter than the shortest interval, 5m`;
    return { kind: 'every', ms };
  }
  const daily = /^daily\s+(\d{1,2}):(\d{2})$/.exec(value);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    if (hour > 23 || minute > 59) return `"${text}" is not a time of day (00:00 to 23:59, UTC)`;
    return { kind: 'daily', hour, minute };
  }
  return `"${text}" is not a schedule: use off, an interval such as 6h, 30m or 1d, or "daily HH:MM" (UTC)`;
}

/**
 * When the next scheduled backup is due: `last` is the time of the last scheduled one (null: none
 * yet). An interval counts from the last one (the first one at once); a daily time is the next
 * such time after the last one, and never in the past of `now` by more than that day.
 */
export function nextBackupAt(schedule: BackupSchedule, last: Date | null, now: Date): Date | null {
  if (schedule.kind === 'off') return null;
  if (schedule.kind === 'every') return last === null ? now : new Date(last.getTime() + schedule.ms);
  const from = last ?? new Date(now.getTime() - 1);
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), schedule.hour, schedule.minute));
  const next = day.getTime() > from.getTime() ? day : new Date(day.getTime() + UNIT_MS.d);
  // A platform that was down at the time: once at start, not once per missed day.
  return next.getTime() < now.getTime() - UNIT_MS.d ? now : next;
}

/** The schedule as the status and the docs write it. */
export function describeSchedule(schedule: BackupSchedule): string {
  if (schedule.kind === 'off') return 'off';
  if (schedule.kind === 'daily') return `daily ${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute).padStart(2, '0')} UTC`;
  const [unit, ms] = schedule.ms % UNIT_MS.d === 0 ? ['d', UNIT_MS.d] : schedule.ms % UNIT_MS.h === 0 ? ['h', UNIT_MS.h] : ['m', UNIT_MS.m];
  return `every ${schedule.ms / ms}${unit}`;
}
