import { DozenError, type ErrorCode } from '@dozen/contracts/errors';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A `--since` a user typed: a duration back from now (30s, 10m, 2h, 1d) or an ISO 8601 time,
 * as milliseconds since the epoch. `code` is the error the caller's users know.
 */
export function parseSince(since: string, nowMs: number, code: ErrorCode): number {
  const duration = /^(\d{1,9})([smhd])$/.exec(since);
  if (duration) return nowMs - Number(duration[1]) * (UNITS[duration[2] as string] as number) * 1000;
  const time = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(since) ? Date.parse(since) : Number.NaN;
  if (Number.isNaN(time)) throw new DozenError(code, `--since ${JSON.stringify(since)} is neither a duration (30s, 10m, 2h, 1d) nor an ISO 8601 time.`);
  return time;
}
