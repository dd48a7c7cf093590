import { createHash } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileDigest, type ManifestEntry } from './manifest.js';

/** Every file and symbolic link below `root`, as `/`-separated relative paths, sorted. */
export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(join(root, prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(root, path)));
    else if (entry.isFile() || entry.isSymbolicLink()) found.push(path);
  }
  return found;
}

/** Size and sha256 of each file below `root` (of a link: its target's text), as the manifest lists them. */
export async function digestTree(root: string): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const path of await listFiles(root)) {
    const full = join(root, path);
    if ((await lstat(full)).isSymbolicLink()) {
      const target = await readlink(full);
      entries.push({ path, bytes: Buffer.byteLength(target), sha256: createHash('sha256').update(target).digest('hex'), link: true });
    } else {
      entries.push({ path, ...(await fileDigest(full)) });
    }
  }
  return entries;
}

/**
 * `from` recreated at `to`: files hard-linked (slugs and caches are never rewritten in place, so
 * a link is a snapshot), copied when the link is refused (another file system), links recreated.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isFile()) await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV' && error.code !== 'EPERM' && error.code !== 'EMLINK') throw error;
      await copyFile(source, target);
    });
  }
}
