import { describe, expect, it } from 'vitest';
import { describeSchedule, nextBackupAt, parseBackupSchedule } from './backup-schedule.js';

describe('DOZEN_BACKUP_SCHEDULE', () => {
  it('reads off, intervals and daily times', () => {
    expect(parseBackupSchedule('off')).toEqual({ kind: 'off' });
    expect(parseBackupSchedule('6h')).toEqual({ kind: 'every', ms: 6 * 3_600_000 });
    expect(parseBackupSchedule('30m')).toEqual({ kind: 'every', ms: 30 * 60_000 });
    expect(parseBackupSchedule('1d')).toEqual({ kind: 'every', ms: 86_400_000 });
    expect(parseBackupSchedule('daily 02:00')).toEqual({ kind: 'daily', hour: 2, minute: 0 });
    expect(parseBackupSchedule('Daily 23:59')).toEqual({ kind: 'daily', hour: 23, minute: 59 });
  });

  it('refuses anything else with a sentence naming the value', () => {
    for (const bad of ['hourly', '6', '6x', '-1h', 'daily 24:00', 'daily 2:60', 'daily', '1m', '2h30m']) {
      const parsed = parseBackupSchedule(bad);
      expect(typeof parsed, bad).toBe('string');
      expect(parsed).toContain(`"${bad}"`);
    }
  });

  it('is written back the way it reads', () => {
    expect(describeSchedule({ kind: 'every', ms: 6 * 3_600_000 })).toBe('every 6h');
    expect(describeSchedule({ kind: 'every', ms: 90 * 60_000 })).toBe('every 90m');
    expect(describeSchedule({ kind: 'daily', hour: 2, minute: 5 })).toBe('daily 02:05 UTC');
    expect(describeSchedule({ kind: 'off' })).toBe('off');
  });
});

describe('the next scheduled backup', () => {
  const at = (iso: string) => new Date(iso);
  it('is never when off', () => {
    expect(nextBackupAt({ kind: 'off' }, null, at('2026-01-01T00:00:00Z'))).toBeNull();
  });

  it('of an interval: at once the first time, then the interval after the last one', () => {
    const now = at('2026-01-01T10:00:00Z');
    expect(nextBackupAt({ kind: 'every', ms: 3_600_000 }, null, now)).toEqual(now);
    expect(nextBackupAt({ kind: 'every', ms: 3_600_000 }, at('2026-01-01T09:30:00Z'), now)).toEqual(at('2026-01-01T10:30:00Z'));
  });

  it('of a daily time: today if still ahead, else tomorrow; after the last one', () => {
    const daily = { kind: 'daily', hour: 2, minute: 0 } as const;
    expect(nextBackupAt(daily, null, at('2026-01-01T01:00:00Z'))).toEqual(at('2026-01-01T02:00:00Z'));
    expect(nextBackupAt(daily, null, at('2026-01-01T03:00:00Z'))).toEqual(at('2026-01-02T02:00:00Z'));
    expect(nextBackupAt(daily, at('2026-01-01T02:00:05Z'), at('2026-01-01T02:00:06Z'))).toEqual(at('2026-01-02T02:00:00Z'));
    // Down for a week: one backup at start, not seven.
    const now = at('2026-01-09T12:00:00Z');
    expect(nextBackupAt(daily, at('2026-01-01T02:00:00Z'), now)).toEqual(now);
  });
});
