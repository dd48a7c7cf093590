import { DozenError } from '@dozen/contracts/errors';

/**
 * Cron expressions (Heroku Scheduler, Dokku's app.json `cron`): the 5 fields `minute hour
 * day-of-month month day-of-week` with numbers, ranges (`1-5`), steps (`*\/10`, `0-30/5`), lists
 * (`1,15`), `*`, names (`jan`, `mon`) and the macros `@hourly`, `@daily`/`@midnight`, `@weekly`,
 * `@monthly`, `@yearly`/`@annually`. Always UTC (like Heroku Scheduler). As in Vixie cron, when
 * both day fields are restricted a day matching either one runs.
 */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** A day field that is not `*`: with both restricted, either one matching is enough. */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

function invalid(expression: string, message: string): DozenError {
  return new DozenError('CRON_SCHEDULE_INVALID', `The schedule ${JSON.stringify(expression)} does not parse: ${message}.`);
}

/** Parses a cron expression; a bad one throws CRON_SCHEDULE_INVALID naming the field and the value. */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const text = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (text === undefined) throw invalid(expression, `\`${trimmed}\` is not one of ${Object.keys(MACROS).join(', ')}`);
  const parts = text.split(/\s+/).filter((part) => part !== '');
  if (parts.length !== 5) throw invalid(expression, `it has ${parts.length} field${parts.length === 1 ? '' : 's'}, cron has 5 (minute hour day-of-month month day-of-week)`);
  const sets = parts.map((part, i) => parseField(expression, part, FIELDS[i] as Field));
  const weekdays = new Set([...(sets[4] as Set<number>)].map((day) => day % 7));
  return {
    minutes: sets[0] as Set<number>,
    hours: sets[1] as Set<number>,
    days: sets[2] as Set<number>,
    months: sets[3] as Set<number>,
    weekdays,
    daysRestricted: !parts[2]?.startsWith('*'),
    weekdaysRestricted: !parts[4]?.startsWith('*'),
  };
}

function parseField(expression: string, text: string, field: Field): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw invalid(expression, `${field.name} field \`${item}\` is not a number, a range, a step or *`);
    let step = 1;
    if (stepText !== undefined) {
      step = /^\d+$/.test(stepText) ? Number(stepText) : NaN;
      if (!(step >= 1 && step <= field.max)) throw invalid(expression, `${field.name} field step \`${stepText}\` is not a whole number from 1 to ${field.max}`);
    }
    const [from, to] = rangeOf(expression, range, field, stepText !== undefined);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function rangeOf(expression: string, range: string, field: Field, stepped: boolean): [number, number] {
  if (range === '*') return [field.min, field.max === 7 ? 6 : field.max];
  const [fromText = '', toText, extra] = range.split('-');
  if (extra !== undefined) throw invalid(expression, `${field.name} field \`${range}\` is not a range like 1-5`);
  const from = valueOf(expression, fromText, field);
  if (toText === undefined) return [from, stepped ? (field.max === 7 ? 6 : field.max) : from];
  const to = valueOf(expression, toText, field);
  if (to < from) throw invalid(expression, `${field.name} field range \`${range}\` ends before it starts`);
  return [from, to];
}

function valueOf(expression: string, text: string, field: Field): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or a name (${field.names.join(', ')})` : '';
    throw invalid(expression, `${field.name} field \`${text}\` is not a number${names}`);
  }
  const value = Number(text);
  if (value < field.min || value > field.max) throw invalid(expression, `${field.name} field \`${text}\` is out of ${field.min}-${field.max}`);
  return value;
}

/** Whether the schedule runs on this UTC day. */
function dayMatches(schedule: CronSchedule, day: Date): boolean {
  if (!schedule.months.has(day.getUTCMonth() + 1)) return false;
  const byDate = schedule.days.has(day.getUTCDate());
  const byWeekday = schedule.weekdays.has(day.getUTCDay());
  if (schedule.daysRestricted && schedule.weekdaysRestricted) return byDate || byWeekday;
  return byDate && byWeekday;
}

const DAY_MS = 86_400_000;
/** Far enough for any expression that can match at all (Feb 29 on a given weekday: 28 years). */
const SEARCH_DAYS = 366 * 29;

/** The first minute strictly after `after` that the schedule runs at (UTC); null if it never does. */
export function nextRun(schedule: CronSchedule, after: Date): Date | null {
  const start = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  const hours = [...schedule.hours].sort((a, b) => a - b);
  const minutes = [...schedule.minutes].sort((a, b) => a - b);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = firstDay + i * DAY_MS;
    if (!dayMatches(schedule, new Date(day))) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const at = day + hour * 3_600_000 + minute * 60_000;
        if (at >= start) return new Date(at);
      }
    }
  }
  return null;
}

/** The last minute at or before `atOrBefore` that the schedule ran at (UTC); null if none since `notBefore`. */
export function previousRun(schedule: CronSchedule, atOrBefore: Date, notBefore: Date): Date | null {
  const end = Math.floor(atOrBefore.getTime() / 60_000) * 60_000;
  const hours = [...schedule.hours].sort((a, b) => b - a);
  const minutes = [...schedule.minutes].sort((a, b) => b - a);
  for (let day = Math.floor(end / DAY_MS) * DAY_MS; day + DAY_MS > notBefore.getTime(); day -= DAY_MS) {
    if (!dayMatches(schedule, new Date(day))) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const at = day + hour * 3_600_000 + minute * 60_000;
        if (at <= end) return at >= notBefore.getTime() ? new Date(at) : null;
      }
    }
  }
  return null;
}
