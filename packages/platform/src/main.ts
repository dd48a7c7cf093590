import { readConfig } from './config.js';
import { restoreInto } from './backup-wiring.js';
import { startPlatform } from './roles/all-in-one.js';
import { processLogger, runUntilStopped } from './roles/process-lifecycle.js';

// The platform's entry points: `dozen up` (every role in one process), `dozen serve <role>` (one
// role of a cluster, roles/serve.ts) and the offline restore. The wiring is in roles/: the shared
// graph (platform-graph.ts, graph-parts.ts) and a small file per role.

export { readConfig, type PlatformConfig } from './config.js';
export { inProcessEdge, type EdgeMaker } from './edge-wiring.js';
export { buildGraph, assembleGraph, type PlatformGraph, type LogHistory } from './roles/platform-graph.js';
export { startPlatform, type RunningPlatform, type StartOptions } from './roles/all-in-one.js';
export { serve } from './roles/serve.js';

/**
 * `dozen up`: start, then stop gracefully on SIGTERM/SIGINT and exit 0. The apps keep running in
 * the edge; `dozen down --stop-apps` stops them too.
 */
export async function up(): Promise<void> {
  const config = readConfig();
  const logger = processLogger(config, null);
  await runUntilStopped(
    logger,
    (stop) => startPlatform(config, logger, { onDown: (stopApps) => stop('dozen down', stopApps) }),
    (stopApps) => (stopApps ? 'stopping: no new requests, app processes get SIGTERM, then the edge stops' : 'stopping the control plane: the apps keep running in the edge'),
  );
}

/** `dozen backups:restore FILE`: offline, onto the empty data dir of DOZEN_DATA_DIR (backup-wiring.ts). */
export const restore = (archive: string, say: (line: string) => void): Promise<{ id: string; apps: number }> => restoreInto(archive, readConfig(), say);
