import { readFileSync } from 'node:fs';

/** Direct children of a process, from /proc (empty when it is gone). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process and everything below it. */
export function processTree(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && all.length < 10_000) {
    const next = queue.shift() as number;
    all.push(next);
    queue.push(...childrenOf(next));
  }
  return all;
}

/** Resident memory (bytes) summed over processes; null when none could be read. */
export function residentBytes(pids: readonly number[]): number | null {
  let total = 0;
  let seen = false;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) {
        total += Number(match[1]) * 1024;
        seen = true;
      }
    } catch {
      // gone meanwhile
    }
  }
  return seen ? total : null;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const TICKS = 100;

/**
 * CPU time (user + system, seconds) of processes, from /proc/<pid>/stat: each one's own and that of
 * its children it has waited for (cutime, cstime); null when none could be read.
 */
export function cpuSeconds(pids: readonly number[]): number | null {
  let ticks = 0;
  let seen = false;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime are fields 14-17, so 11-14 after the state (field 3).
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      seen = true;
    } catch {
      // gone meanwhile
    }
  }
  return seen ? ticks / TICKS : null;
}

export function signalProcess(pid: number | null | undefined, signal: NodeJS.Signals): void {
  if (pid === null || pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

/** Whether the process has a handler for `signal` (its SigCgt mask in /proc). */
export function handles(pid: number, signal: NodeJS.Signals): boolean {
  return signalMask(pid, 'SigCgt', signal) === true;
}

/** Whether the process ignores `signal` (its SigIgn mask); true when it cannot be read. */
export function ignores(pid: number, signal: NodeJS.Signals): boolean {
  return signalMask(pid, 'SigIgn', signal) !== false;
}

function signalMask(pid: number, mask: 'SigCgt' | 'SigIgn', signal: NodeJS.Signals): boolean | null {
  const number = SIGNAL_NUMBERS[signal];
  if (number === undefined) return null;
  try {
    const match = new RegExp(`^${mask}:\\s+([0-9a-f]+)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : (BigInt(`0x${match[1]}`) & (1n << BigInt(number - 1))) !== 0n;
  } catch {
    return null;
  }
}
