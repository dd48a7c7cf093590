import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin'];

/** The absolute path of a system program (redis-server, psql), or null when it is not installed. */
export function findProgram(name: string, dirs: readonly string[] = SYSTEM_DIRS): string | null {
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}
