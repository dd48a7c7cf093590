/**
 * The limits of one process (its sandbox and everything it starts), and the cgroup that
 * enforces them. One interface, a cgroup v1 and a cgroup v2 implementation (open-cgroups.ts
 * picks the one this host has); without either, nothing is enforced and the platform says so.
 */
import type { ProcessLimits } from '../../shared-ports/sandbox.js';

export type { ProcessLimits };

/** A process's cgroup while it runs. */
export interface ProcessCgroup {
  /** The files a process writes its pid to, to join (one per hierarchy on v1). */
  readonly procsFiles: string[];
  /** Anonymous plus tmpfs memory of every process in it (what counts against the quota), or null. */
  memoryBytes(): number | null;
  /** CPU time (user + system) of every process that ran in it, in seconds, or null. */
  cpuSeconds(): number | null;
  /** Whether the kernel's OOM killer killed a process in it (the hard limit was reached). */
  oomKilled(): boolean;
  /** Removes it (its processes are gone); retried while the kernel still holds it. */
  remove(): Promise<void>;
}

export interface Cgroups {
  readonly kind: 'v1' | 'v2' | 'none';
  /** What is enforced, or what is not and why: the platform logs it at start. */
  readonly note: string;
  /** A new cgroup named `name` (unique among running processes) with `limits` written. */
  create(name: string, limits: ProcessLimits): ProcessCgroup | null;
  /** At the platform's stop: removes its (by then empty) folders, and `dozen` once no platform uses it. */
  close(): void;
}

/** Cgroups are unavailable (no root, or neither layout found): nothing is enforced. */
export class NoCgroups implements Cgroups {
  readonly kind = 'none' as const;
  constructor(readonly note: string) {}
  create(): null {
    return null;
  }

  close(): void {
    // Nothing was made.
  }
}

/** rmdir of a cgroup fails with EBUSY until the kernel has released its last (exited) task. */
export async function removeDirs(remove: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (remove()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A number from a `key value` line of a cgroup stat file, or 0. */
export function statValue(text: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}
