import { EdgeServer } from '../edge-link/edge-server.js';
import type { EdgeServices } from '../edge-link/edge-services.js';
import { bearerMatches } from './role-token.js';

export interface RelayOptions {
  /** The edge the leader drives (its RemoteEdge to the host's edge socket). */
  edge: EdgeServices;
  /** DOZEN_CLUSTER_TOKEN: every upgrade must carry it as `Authorization: Bearer …`, else 401. */
  token: string;
  /** Where the relay listens: DOZEN_LISTEN_HOST and DOZEN_RELAY_PORT (0 = any free port). */
  host: string;
  port: number;
  /** The host name apis reach this relay at (default: `host`, or 127.0.0.1 when it is a wildcard). */
  advertiseHost?: string;
  /** Makes sure the slug is unpacked on this host (fetched from an api and checked) before a target that names it runs. */
  ensureSlug(appId: string, slugId: string): Promise<void>;
  /** A converge notice whose slug could not be fetched (nobody waits for its answer). */
  onSlugFailed?(method: string, error: unknown): void;
}

export interface Relay {
  /** `ws://host:port`: what the leader advertises in Members. */
  readonly url: string;
  readonly port: number;
  /** Closes the listener and every connection (their rollouts in flight are abandoned, as when an api dies). */
  close(): void;
}

/**
 * A runtime leader's relay (issue 19): the edge-link protocol on TCP for the apis, many control
 * connections at once (one per api), each call forwarded to the host's edge. Calls that carry a
 * RunTarget (converge, rollout, a one-off's start) first make sure its slug is on this host.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const server = new EdgeServer(options.edge, {
    many: true,
    authorize: (request) => bearerMatches(request.headers.authorization, options.token),
    prepare: (target) => options.ensureSlug(target.appId, target.slugId),
    onPrepareFailed: (method, error) => options.onSlugFailed?.(method, error),
  });
  const port = await server.listenTcp(options.host, options.port);
  // A wildcard listener is reached on loopback by default (one host); several hosts set advertiseHost.
  const host = options.advertiseHost ?? (options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host);
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url, port, close: () => server.close() };
}
