import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import { StoreArtefacts } from '../cluster/store-artefacts.js';
import { parseConfig } from '../config.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { NO_APP_NETWORKS } from './no-app-networks.js';

export interface ClusterApi {
  url: string;
  clusterToken: string;
  graph: PlatformGraph;
  artefacts: StoreArtefacts;
  close(): Promise<void>;
}

/**
 * A real api (the platform's graph and HTTP API on loopback) on the store of `databaseUrl`, with
 * the artefact routes open to a cluster token of its own: what the builder and runtime roles reach.
 */
export async function startClusterApi(databaseUrl: string, secretKey = randomBytes(32).toString('base64')): Promise<ClusterApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dozen-cluster-api-'));
  const graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DOZEN_SECRET_KEY: secretKey, DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  const clusterToken = randomBytes(24).toString('hex');
  const artefacts = new StoreArtefacts(graph.store.kysely);
  const shutdown = new AbortController();
  const api: FastifyInstance = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, clusterToken, artefacts });
  const url = await api.listen({ port: 0, host: '127.0.0.1' });
  return {
    url, clusterToken, graph, artefacts,
    close: async () => {
      shutdown.abort();
      await api.close();
      await graph.runtime.shutdown();
      await graph.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
