import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import { StoreArtefacts } from '../cluster/store-artefacts.js';
import type { CoreDeps } from '../core/deps.js';
import type { KyselyStore } from '../store/kysely-store.js';

export interface ClusterApi {
  url: string;
  clusterToken: string;
  artefacts: StoreArtefacts;
  close(): Promise<void>;
}

/**
 * A real api (the platform's HTTP API on loopback, over the graph a test built with DATABASE_URL)
 * with the artefact routes open to a cluster token of its own: what the builder and runtime roles reach.
 */
export async function startClusterApi(graph: { deps: CoreDeps; store: KyselyStore }): Promise<ClusterApi> {
  const clusterToken = randomBytes(24).toString('hex');
  const artefacts = new StoreArtefacts(graph.store.kysely);
  const shutdown = new AbortController();
  const api: FastifyInstance = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, clusterToken, artefacts });
  const url = await api.listen({ port: 0, host: '127.0.0.1' });
  return {
    url, clusterToken, artefacts,
    close: async () => {
      shutdown.abort();
      await api.close();
    },
  };
}
