import type { ProcessStatus } from '../../core/model.js';
import type { OneOff } from '../../core/ports/runtime.js';
import type { ManagedProcess } from './managed-process.js';

/** A one-off as `ps` lists it. */
export interface OneOffEntry {
  run: OneOff;
  type: string;
  index: number;
  release: number;
  command: string;
  startedAt: Date;
  usage(): OneOffUsage;
}

export interface OneOffUsage {
  pid: number | null;
  rssBytes: number | null;
  cpuSeconds: number | null;
  size: string | null;
  memoryQuotaBytes: number | null;
}

export function managedStatus(p: ManagedProcess, sandboxed: boolean): ProcessStatus {
  const usage = p.usage();
  return {
    id: p.id,
    name: p.name,
    type: p.spec.type,
    index: p.spec.index,
    release: p.spec.release,
    state: p.state,
    command: p.spec.command,
    pid: usage.pid,
    port: p.port,
    startedAt: p.startedAt?.toISOString() ?? null,
    restarts: p.restarts,
    lastExit: p.lastExit,
    nextRestartAt: p.restartDueAt === null ? null : new Date(p.restartDueAt).toISOString(),
    rssBytes: usage.rssBytes,
    cpuSeconds: usage.cpuSeconds,
    size: p.size,
    memoryQuotaBytes: p.memoryQuotaBytes,
    sandboxed,
  };
}

export function oneOffStatus(entry: OneOffEntry, sandboxed: boolean): ProcessStatus {
  const usage = entry.usage();
  return {
    id: entry.run.name,
    name: entry.run.name,
    type: entry.type,
    index: entry.index,
    release: entry.release,
    state: 'up',
    command: entry.command,
    pid: usage.pid,
    port: null,
    startedAt: entry.startedAt.toISOString(),
    restarts: 0,
    lastExit: null,
    nextRestartAt: null,
    rssBytes: usage.rssBytes,
    cpuSeconds: usage.cpuSeconds,
    size: usage.size,
    memoryQuotaBytes: usage.memoryQuotaBytes,
    sandboxed,
  };
}

export function byName(a: ProcessStatus, b: ProcessStatus): number {
  return a.type.localeCompare(b.type) || a.index - b.index || a.release - b.release;
}
