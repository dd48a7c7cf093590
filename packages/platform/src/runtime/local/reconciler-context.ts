import type { LogSink } from '../../core/ports/logs.js';
import type { RouteTable } from '../../shared-ports/route-table.js';
import type { Sandbox } from '../../shared-ports/sandbox.js';
import type { AppNetwork } from '../../shared-ports/app-network.js';
import type { BackoffPolicy } from '../../core/restart-backoff.js';
import type { LaunchContext } from './process-launch.js';
import type { EvidenceSink } from '../../core/scorecard/evidence.js';

/** What every app's reconciler shares: the runtime's adapters and settings. */
export interface ReconcilerContext {
  routes: RouteTable;
  logs: LogSink;
  sandbox: Sandbox;
  network: AppNetwork;
  launch: LaunchContext;
  defaults: { graceMs: number; bootTimeoutMs: number; memorySampleMs: number };
  backoff: BackoffPolicy;
  allocatePort(): Promise<number>;
  random(): number;
  nextId(): number;
  /** Where what processes show of the twelve factors goes (issue 18). */
  evidence: EvidenceSink;
}
