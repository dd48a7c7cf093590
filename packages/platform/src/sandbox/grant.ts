import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppUser } from '../core/model.js';

/**
 * Makes `dir` and everything in it belong to the app's user, so that its processes can read
 * all of it (a file a user archived as 0600 included); the bind is read-only, so they still
 * cannot change it. The top directory goes last: once it belongs to the user, the rest does.
 */
export async function grantTree(dir: string, user: AppUser): Promise<void> {
  const top = await lstat(dir);
  if (top.uid === user.uid && top.gid === user.gid) return;
  await chownBelow(dir, user);
  await lchown(dir, user.uid, user.gid);
}

async function chownBelow(dir: string, user: AppUser): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownBelow(path, user);
    await lchown(path, user.uid, user.gid);
  }
}
