import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { DataDirLayout } from '@dozen/contracts/node';
import { environmentForEdge, type PlatformConfig } from './config.js';
import type { LogEvent } from './core/model.js';
import type { EvidenceRecord, EvidenceSink } from './core/scorecard/evidence.js';
import { openEdge } from './edge-link/edge-launcher.js';
import type { EdgeServices } from './edge-link/edge-services.js';
import type { RemoteEdge } from './edge-link/remote-edge.js';
import { buildEdge, type LocalEdge } from './edge-main.js';
import type { LogSink } from './core/ports/logs.js';

// How the control plane (main.ts) gets its edge: in its own process (`dozen up`) or in this one
// (tests), and what it says about it at start.

/** Makes the edge the control plane drives, given the log stream its lines go to. */
export type EdgeMaker = (logs: LogSink, dirs: DataDirLayout, evidence?: EvidenceSink) => Promise<{ edge: EdgeServices; local: LocalEdge | null; remote?: RemoteEdge; adopted: boolean }>;

/** The edge in this process (tests; nothing outlives the process). */
export function inProcessEdge(config: PlatformConfig): EdgeMaker {
  return async (logs, dirs, evidence) => {
    const local = await buildEdge(config, dirs, logs, undefined, evidence);
    return { edge: local.services, local, adopted: false };
  };
}

/** The edge of the data dir in its own process: adopted when it runs, started otherwise. */
export function edgeProcess(): EdgeMaker {
  return async (logs, dirs, evidence) => {
    const entry = fileURLToPath(new URL('./edge-entry.js', import.meta.url));
    const onLogs = (records: LogEvent[]) => {
      for (const record of records) logs.append(record);
    };
    const onEvidence = (records: EvidenceRecord[]) => {
      for (const record of records) evidence?.report(record);
    };
    const { edge, adopted } = await openEdge({ socketPath: dirs.edgeSocket, logFile: dirs.edgeLog, entry, env: environmentForEdge(), onLogs, onEvidence });
    return { edge, local: null, remote: edge, adopted };
  };
}

/** What the edge runs apps with (sandbox, network, limits), said at every start as before. */
export function logEdge(logger: Logger, edge: EdgeServices, adopted: boolean, config: PlatformConfig): void {
  const hello = edge.hello();
  const { sandbox, network, limits } = hello.notes;
  if (sandbox.kind === 'none') logger.warn({ sandbox: sandbox.kind }, `App processes run ${sandbox.note}`);
  logger[network.isolated ? 'info' : 'warn']({ network: network.isolated ? 'isolated' : 'host' }, `App networks: ${network.note}`);
  // Said as a warning when nothing is enforced, as the unsandboxed fallback is.
  if (limits.startsWith('no cgroups')) logger.warn({ limits }, `Process limits: ${limits}`);
  else logger.info({ limits }, `Process limits: ${limits}`);
  logger.info({ edgePid: hello.pid, edgeVersion: hello.version, since: hello.startedAt }, adopted ? `Adopted the running edge (pid ${hello.pid}, up since ${hello.startedAt}): its apps kept running` : `Started the edge (pid ${hello.pid})`);
  if (adopted && config.routerPort !== 0 && config.routerPort !== hello.routerPort) {
    logger.warn({ routerPort: hello.routerPort }, `The running edge listens on ${hello.routerPort}, not DOZEN_ROUTER_PORT=${config.routerPort}: \`dozen down --stop-apps\` and a start apply the new port`);
  }
}

