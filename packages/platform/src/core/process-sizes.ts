import { DozenError } from '@dozen/contracts/errors';
import type { ProcessTypeSettings } from './model.js';

/** What one process size gives a process (Heroku's dyno sizes; docs/decisions.md). */
export interface ProcessSize {
  name: string;
  /** The memory quota: over it the log gets R14 lines; twice it is the hard limit (R15). */
  memoryMb: number;
  pids: number;
  /** Relative CPU weight (cgroup v2 scale: 100 is a default process). */
  cpuWeight: number;
  /** The private /tmp (RAM-backed, counted against the memory quota). */
  tmpMb: number;
}

export type SizeTable = readonly ProcessSize[];

export const DEFAULT_SIZE = 'standard-1x';
/** Heroku's R15: a process is killed at twice its quota. */
export const HARD_LIMIT_FACTOR = 2;

export const SIZES: SizeTable = [
  { name: 'eco', memoryMb: 512, pids: 256, cpuWeight: 50, tmpMb: 512 },
  { name: 'basic', memoryMb: 512, pids: 256, cpuWeight: 50, tmpMb: 512 },
  { name: 'standard-1x', memoryMb: 512, pids: 256, cpuWeight: 100, tmpMb: 512 },
  { name: 'standard-2x', memoryMb: 1024, pids: 512, cpuWeight: 200, tmpMb: 1024 },
  { name: 'performance-m', memoryMb: 2560, pids: 4096, cpuWeight: 800, tmpMb: 2048 },
  { name: 'performance-l', memoryMb: 14336, pids: 16384, cpuWeight: 1600, tmpMb: 8192 },
];

/**
 * Extra sizes from DOZEN_EXTRA_SIZES, `name:memoryMB` separated by commas (small ones for tests
 * and small hosts): 256 pids, CPU weight 100, /tmp as large as the quota.
 */
export function extraSizes(value: string | undefined): ProcessSize[] {
  if (!value) return [];
  return value.split(',').map((entry) => {
    const match = /^([a-z][a-z0-9-]{0,30}):(\d{1,7})$/.exec(entry.trim());
    if (!match || Number(match[2]) < 16) throw new DozenError('PLATFORM_CONFIG_INVALID', `DOZEN_EXTRA_SIZES entry ${JSON.stringify(entry)} is not name:megabytes (at least 16).`, { hint: 'Write e.g. DOZEN_EXTRA_SIZES=tiny:96,small:256.' });
    const memoryMb = Number(match[2]);
    return { name: match[1] as string, memoryMb, pids: 256, cpuWeight: 100, tmpMb: memoryMb };
  });
}

export function findSize(table: SizeTable, name: string): ProcessSize | undefined {
  return table.find((size) => size.name === name);
}

/** The size `name` if it exists and fits this host's memory; else a catalogued error. */
export function assertSize(table: SizeTable, name: string, hostMemoryBytes: number): ProcessSize {
  const size = findSize(table, name);
  if (!size) {
    throw new DozenError('PROCESS_SIZE_UNKNOWN', `There is no process size ${JSON.stringify(name)}. Known sizes: ${table.map((s) => `${s.name} (${s.memoryMb} MB)`).join(', ')}.`);
  }
  const hostMb = Math.floor(hostMemoryBytes / 1024 / 1024);
  if (size.memoryMb > hostMb) {
    throw new DozenError('PROCESS_SIZE_TOO_LARGE', `Size ${size.name} needs ${size.memoryMb} MB of memory, more than this host has (${hostMb} MB).`);
  }
  return size;
}

/** The type's own settings, with app.json's `formation.<type>.size` for types that set no size. */
export function withManifestSizes(settings: Record<string, ProcessTypeSettings>, sizes: Record<string, string> | undefined): Record<string, ProcessTypeSettings> {
  if (!sizes) return settings;
  const next = { ...settings };
  for (const [type, size] of Object.entries(sizes)) if (next[type]?.size === undefined) next[type] = { ...next[type], size };
  return next;
}
