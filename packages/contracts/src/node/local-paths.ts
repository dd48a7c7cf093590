import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a platform keeps its data when DOZEN_DATA_DIR is not set, shared by the platform and by a
 * CLI on the same host (which reads the admin token from there).
 */
export function defaultDataDir(env: { XDG_DATA_HOME?: string | undefined } = {}): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'dozen');
}

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, 'admin-token');
}
