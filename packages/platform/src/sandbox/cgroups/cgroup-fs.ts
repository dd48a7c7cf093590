import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The few file operations the cgroup implementations need, as plain functions. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function writeValue(path: string, value: string | number): void {
  writeFileSync(path, String(value));
}

export function tryRmdir(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    rmdirSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what a previous run of the platform left under `root` (a `kill -9` of it): its
 * processes died with it (`--die-with-parent`); anything still in a group is killed first.
 */
export function sweepTree(root: string): number {
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    for (const pid of (readText(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (removeSoon(dir)) removed += 1;
  }
  return removed;
}

/** Removes `mount/root` and its parents up to `mount` while they are empty (rmdir fails otherwise). */
export function removeUpTo(mount: string, root: string): void {
  const parts = root.split('/');
  for (let depth = parts.length; depth > 0; depth -= 1) {
    if (!tryRmdir(join(mount, ...parts.slice(0, depth)))) return;
  }
}

/** At start only: waits (up to a second) for the kernel to release a group's killed tasks. */
function removeSoon(dir: string): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (tryRmdir(dir)) return true;
    Atomics.wait(pause, 0, 0, 20);
  }
  return false;
}
