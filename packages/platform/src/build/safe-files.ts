import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';

/**
 * Reads the platform's own view of a build directory: a file the source (or its build scripts)
 * made is read only if it is a regular file, never through a symlink, so that a Procfile linked
 * to /etc/shadow cannot show up in an error message.
 */
export async function readRegularFile(dir: string, name: string, maxBytes = 1024 * 1024): Promise<string | null> {
  const path = join(dir, name);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP') throw new DozenError('BUILD_FAILED', `${name} is a symbolic link; the platform reads it only as a regular file.`);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new DozenError('BUILD_FAILED', `${name} is not a regular file.`);
    if (stat.size > maxBytes) throw new DozenError('BUILD_FAILED', `${name} is ${stat.size} bytes, over the limit of ${maxBytes}.`);
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function regularFileExists(dir: string, name: string): Promise<boolean> {
  try {
    return (await lstat(join(dir, name))).isFile();
  } catch {
    return false;
  }
}
