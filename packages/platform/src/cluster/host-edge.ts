import type { LogEvent } from '../core/model.js';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { EdgeClient } from '../edge-link/edge-client.js';
import { greet } from '../edge-link/edge-launcher.js';
import type { EdgeHello } from '../edge-link/protocol.js';
import { RemoteEdge } from '../edge-link/remote-edge.js';

export interface HostEdgeOptions {
  /** The edge's socket in the host's data dir (`<data dir>/run/edge.sock`), served by the router role. */
  socketPath: string;
  onLogs(records: LogEvent[]): void;
  onEvidence(records: EvidenceRecord[]): void;
  /** Between attempts while nothing listens there yet (default 250 ms). */
  retryMs?: number;
}

/**
 * The edge of this host as a runtime role reaches it (issue 19): the router role's process, on
 * its socket. Unlike `dozen up`, a runtime never starts an edge: it waits for the socket to answer
 * (the router starts, or restarts) until `signal` aborts.
 */
export async function connectHostEdge(options: HostEdgeOptions, signal: AbortSignal): Promise<{ client: EdgeClient; hello: EdgeHello }> {
  for (;;) {
    signal.throwIfAborted();
    const client = await EdgeClient.connect(options.socketPath, options.onLogs, options.onEvidence).catch(() => null);
    if (client !== null) {
      if (signal.aborted) client.close();
      else return { client, hello: await greet(client) };
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 250));
  }
}

/** A RemoteEdge to the host's edge that reconnects the same way (`stayConnected`) when the router restarts. */
export async function openHostEdge(options: HostEdgeOptions, signal: AbortSignal): Promise<RemoteEdge> {
  const { client, hello } = await connectHostEdge(options, signal);
  return new RemoteEdge(client, options.socketPath, hello, () => connectHostEdge(options, signal));
}
