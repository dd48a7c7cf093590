import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * sha256 over a directory tree: every entry's path, type, executable bit, and its content (files)
 * or target (links), in a fixed order. Two builds that produce the same files have the same
 * digest, whatever the timestamps. Links are never followed. Also answers the total size.
 */
export async function digestTree(root: string): Promise<{ digest: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const stat = await lstat(path);
      if (stat.isDirectory()) {
        hash.update(`d\u0000${rel}\u0000`);
        await walk(path, rel);
      } else if (stat.isSymbolicLink()) {
        hash.update(`l\u0000${rel}\u0000${await readlink(path)}\u0000`);
      } else if (stat.isFile()) {
        sizeBytes += stat.size;
        hash.update(`f\u0000${rel}\u0000${stat.mode & 0o111 ? 'x' : '-'}\u0000${stat.size}\u0000`);
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      }
    }
  };
  await walk(root, '');
  return { digest: hash.digest('hex'), sizeBytes };
}
