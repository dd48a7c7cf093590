import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes a tree takes on disk, as `du` counts them: allocated blocks (st_blocks * 512) of every
 * entry, directories included, links not followed, a file with several hard links counted once
 * per walk (`seen` is shared across the walks of one measurement).
 */
export async function treeBytes(path: string, seen: Set<string>): Promise<number> {
  let stat;
  try {
    stat = await lstat(path);
  } catch {
    return 0;
  }
  const key = `${stat.dev}:${stat.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  let bytes = stat.blocks * 512;
  if (!stat.isDirectory()) return bytes;
  for (const name of await readdir(path).catch(() => [] as string[])) bytes += await treeBytes(join(path, name), seen);
  return bytes;
}

/** Bytes of each entry of a directory (by name), and of the directory itself. */
export async function childBytes(dir: string, seen: Set<string>): Promise<{ self: number; children: Record<string, number> }> {
  const children: Record<string, number> = {};
  let self = 0;
  try {
    const stat = await lstat(dir);
    seen.add(`${stat.dev}:${stat.ino}`);
    self = stat.blocks * 512;
  } catch {
    return { self, children };
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) children[name] = await treeBytes(join(dir, name), seen);
  return { self, children };
}

/** Names of the subdirectories of `dir` (none when it is missing). */
export async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}
