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
  const bytes = stat.blocks * 512;
  if (!stat.isDirectory()) return bytes;
  // A directory's entries in parallel: the lstat calls overlap in libuv's thread pool.
  const names = await readdir(path).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map((name) => treeBytes(join(path, name), seen)));
  return sizes.reduce((sum, size) => sum + size, bytes);
}

/** Bytes of each entry of a directory (by name), and of the directory itself. */
export async function childBytes(dir: string, seen: Set<string>): Promise<{ self: number; children: Record<string, number> }> {
  const { names, self } = await childNames(dir);
  const sizes = await Promise.all(names.map((name) => treeBytes(join(dir, name), seen)));
  return { self: self(seen), children: Object.fromEntries(names.map((name, i) => [name, sizes[i] as number])) };
}

/** The entries of a directory, and its own blocks (counted once: `self(seen)` marks it seen). */
export async function childNames(dir: string): Promise<{ names: string[]; self: (seen: Set<string>) => number }> {
  const stat = await lstat(dir).catch(() => null);
  if (stat === null) return { names: [], self: () => 0 };
  const self = (seen: Set<string>) => {
    const key = `${stat.dev}:${stat.ino}`;
    if (seen.has(key)) return 0;
    seen.add(key);
    return stat.blocks * 512;
  };
  return { names: await readdir(dir).catch(() => [] as string[]), self };
}

/** Names of the subdirectories of `dir` (none when it is missing). */
export async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}
