import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../api/server.js';
import { freePort } from '../net/free-port.js';
import { parseConfig } from '../config.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { startClusterApi, type ClusterApi } from '../test-support/cluster-api.js';
import { PostgresDatabases } from '../test-support/postgres-databases.js';
import { ArtefactClient } from './artefact-client.js';

const databases = new PostgresDatabases();
let api: ClusterApi;
let graph: PlatformGraph;
const dir = mkdtempSync(join(tmpdir(), 'dozen-artefact-client-'));

beforeAll(async () => {
  await databases.start();
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: join(dir, 'api'), DATABASE_URL: await databases.fresh(), DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await startClusterApi(graph);
}, 60_000);
afterAll(async () => {
  await api?.close();
  await graph?.runtime.shutdown();
  await graph?.store.close();
  await databases.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function file(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('the artefact routes and the roles\' client, on a real api over PostgreSQL', () => {
  it('uploads and downloads through the api, the sha256 in X-Dozen-Sha256 both ways, failing over past an api that is down', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const client = new ArtefactClient([down, api.url], api.clusterToken);
    const data = randomBytes(3 * 1024 * 1024 + 7);
    expect(await client.upload('slug/app-1/s1', file('up', data))).toEqual({ sha256: sha256(data), sizeBytes: data.length });
    const target = join(dir, 'down', 'slug.tar.gz');
    expect(await client.download('slug/app-1/s1', target)).toEqual({ sha256: sha256(data), sizeBytes: data.length });
    expect(readFileSync(target).equals(data)).toBe(true);
    const raw = await fetch(`${api.url}/internal/artefacts/slug/app-1/s1`, { headers: { authorization: `Bearer ${api.clusterToken}` } });
    expect(raw.headers.get('x-dozen-sha256')).toBe(sha256(data));
    await raw.arrayBuffer();
    await expect(client.download('slug/app-1/none', join(dir, 'none'))).rejects.toMatchObject({ code: 'ARTEFACT_NOT_FOUND' });
    await expect(new ArtefactClient([down], api.clusterToken).download('slug/app-1/s1', join(dir, 'x'))).rejects.toMatchObject({ code: 'CLUSTER_API_UNREACHABLE' });
  });

  it('refuses a PUT whose body is not what its X-Dozen-Sha256 says, keeping nothing', async () => {
    const data = randomBytes(5000);
    const response = await fetch(`${api.url}/internal/artefacts/source/b-bad`, {
      method: 'PUT', body: data, headers: { authorization: `Bearer ${api.clusterToken}`, 'content-type': 'application/octet-stream', 'x-dozen-sha256': sha256(randomBytes(10)) },
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ARTEFACT_DIGEST_MISMATCH');
    expect(await api.artefacts.open('source/b-bad')).toBeNull();
  });

  it('opens the routes to the cluster token only: no token or a wrong one 401, a user\'s or the admin\'s 403', async () => {
    const admin = readFileSync(graph.adminTokenFile, 'utf8').trim();
    const get = (token?: string) => fetch(`${api.url}/internal/artefacts/slug/app-1/s1`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    const refused = await get(admin);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PERMISSION_DENIED');
    expect((await get(`${api.clusterToken}x`)).status).toBe(401);
    const put = await fetch(`${api.url}/internal/artefacts/slug/app-1/s9`, { method: 'PUT', body: 'x', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream', 'x-dozen-sha256': sha256(Buffer.from('x')) } });
    expect(put.status).toBe(403);
    expect(await api.artefacts.open('slug/app-1/s9')).toBeNull();
  });

  it('has no artefact routes on an api without a cluster token (dozen up): 404 for a valid token, and no cluster token opens them', async () => {
    const shutdown = new AbortController();
    const plain = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, artefacts: api.artefacts });
    try {
      const admin = readFileSync(graph.adminTokenFile, 'utf8').trim();
      const answer = await plain.inject({ method: 'GET', url: '/internal/artefacts/slug/app-1/s1', headers: { authorization: `Bearer ${admin}` } });
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
      expect((await plain.inject({ method: 'GET', url: '/internal/artefacts/slug/app-1/s1', headers: { authorization: `Bearer ${api.clusterToken}` } })).statusCode).toBe(401);
    } finally {
      shutdown.abort();
      await plain.close();
    }
  });

  it('checks what it downloads: an api announcing another sha256 gets ARTEFACT_DIGEST_MISMATCH and no file', async () => {
    const liar = createServer((_request, response) => {
      response.writeHead(200, { 'x-dozen-sha256': sha256(Buffer.from('something else')), 'content-type': 'application/octet-stream' });
      response.end(randomBytes(2000));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const port = (liar.address() as { port: number }).port;
    try {
      const target = join(dir, 'lied', 'slug.tar.gz');
      await expect(new ArtefactClient([`http://127.0.0.1:${port}`], 't').download('slug/a/b', target)).rejects.toMatchObject({ code: 'ARTEFACT_DIGEST_MISMATCH' });
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(join(dir, 'lied'))).toEqual([]);
    } finally {
      liar.close();
    }
  });
});
