import type { LogFilter, LogRecord } from '../core/model.js';

/** Index of the first record with an id above `id` (records are in id order). */
export function firstAfter(records: LogRecord[], id: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((records[mid] as LogRecord).id <= id) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function matches(record: LogRecord, filter: LogFilter): boolean {
  if (filter.source !== undefined && record.source !== filter.source) return false;
  if (filter.sinceMicros !== undefined && record.timeMicros < filter.sinceMicros) return false;
  if (filter.process !== undefined) {
    const p = record.process;
    if (p !== filter.process && !(p.startsWith(filter.process) && p.charCodeAt(filter.process.length) === 0x2e && !filter.process.includes('.'))) return false;
  }
  return true;
}
