import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a platform keeps its data when DOZEN_DATA_DIR is not set, shared by the platform and by a
 * CLI on the same host (which reads the admin token from there). Root gets /var/lib/dozen, a
 * system service's place: the servers the platform runs as their own users (the embedded
 * PostgreSQL as `postgres`) must be able to pass through to their directories, and /root is 0700.
 */
export function defaultDataDir(env: { XDG_DATA_HOME?: string | undefined } = {}, uid = process.getuid?.()): string {
  if (env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')) return join(env.XDG_DATA_HOME, 'dozen');
  if (uid === 0) return '/var/lib/dozen';
  return join(homedir(), '.local', 'share', 'dozen');
}

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, 'admin-token');
}
