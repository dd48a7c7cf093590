import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { nextRun, parseCron, previousRun } from './cron-expression.js';

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => nextRun(parseCron(expression), at(after))?.toISOString();

describe('cron expressions', () => {
  it('reads numbers, ranges, steps, lists, * and names', () => {
    const s = parseCron('*/15 9-17 1,15 jan-mar mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...s.days]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
    expect([...parseCron('0-10/5 * * * *').minutes]).toEqual([0, 5, 10]);
    expect([...parseCron('0 0 * DEC SUN').months]).toEqual([12]);
  });

  it('knows the macros', () => {
    expect(next('@hourly', '2026-03-01T10:20:00Z')).toBe('2026-03-01T11:00:00.000Z');
    expect(next('@daily', '2026-03-01T10:20:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(next('@midnight', '2026-03-01T10:20:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(next('@weekly', '2026-03-02T10:20:00Z')).toBe('2026-03-08T00:00:00.000Z');
    expect(next('@monthly', '2026-03-02T10:20:00Z')).toBe('2026-04-01T00:00:00.000Z');
    expect(next('@yearly', '2026-03-02T10:20:00Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it.each([
    ['61 * * * *', 'minute field `61` is out of 0-59'],
    ['* 24 * * *', 'hour field `24` is out of 0-23'],
    ['* * 0 * *', 'day-of-month field `0` is out of 1-31'],
    ['* * * 13 *', 'month field `13` is out of 1-12'],
    ['* * * * 8', 'day-of-week field `8` is out of 0-7'],
    ['* * * foo *', 'month field `foo` is not a number or a name (jan,'],
    ['*/0 * * * *', 'minute field step `0` is not a whole number from 1 to 59'],
    ['* 5-2 * * *', 'hour field range `5-2` ends before it starts'],
    ['* * *', 'it has 3 fields, cron has 5'],
    ['* * * * * *', 'it has 6 fields, cron has 5'],
    ['@often', '`@often` is not one of @hourly'],
    ['1,,2 * * * *', 'minute field `` is not a number, a range, a step or *'],
    ['x * * * *', 'minute field `x` is not a number'],
  ])('refuses %s naming the field', (expression, message) => {
    let error: unknown;
    try {
      parseCron(expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DozenError);
    expect((error as DozenError).code).toBe('CRON_SCHEDULE_INVALID');
    expect((error as DozenError).message).toContain(message);
  });

  it('computes the next run in UTC, strictly after the given time', () => {
    expect(next('* * * * *', '2026-03-01T10:20:00Z')).toBe('2026-03-01T10:21:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:20:59.999Z')).toBe('2026-03-01T10:21:00.000Z');
    expect(next('*/10 * * * *', '2026-03-01T10:20:00Z')).toBe('2026-03-01T10:30:00.000Z');
    expect(next('30 2 * * *', '2026-03-01T10:20:00Z')).toBe('2026-03-02T02:30:00.000Z');
    expect(next('0 0 29 feb *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 9 * * mon-fri', '2026-03-06T10:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
    expect(next('59 23 31 12 *', '2026-12-31T23:58:00Z')).toBe('2026-12-31T23:59:00.000Z');
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('runs on either day field when both are restricted (Vixie cron)', () => {
    // 2026-03-02 is a Monday; the 15th comes later.
    expect(next('0 0 15 * mon', '2026-03-01T12:00:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(next('0 0 15 * mon', '2026-03-10T12:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
    expect(next('0 0 15 * *', '2026-03-01T12:00:00Z')).toBe('2026-03-15T00:00:00.000Z');
  });

  it('finds the latest run at or before a time, not before a bound', () => {
    const s = parseCron('*/10 * * * *');
    expect(previousRun(s, at('2026-03-01T10:25:30Z'), at('2026-03-01T09:00:00Z'))?.toISOString()).toBe('2026-03-01T10:20:00.000Z');
    expect(previousRun(s, at('2026-03-01T10:20:00Z'), at('2026-03-01T09:00:00Z'))?.toISOString()).toBe('2026-03-01T10:20:00.000Z');
    expect(previousRun(s, at('2026-03-01T10:25:30Z'), at('2026-03-01T10:21:00Z'))).toBeNull();
    expect(previousRun(parseCron('0 3 * * *'), at('2026-03-05T01:00:00Z'), at('2026-03-01T00:00:00Z'))?.toISOString()).toBe('2026-03-04T03:00:00.000Z');
  });
});
