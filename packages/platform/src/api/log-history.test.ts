import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { buildApi } from './server.js';

let graph: PlatformGraph;
let api: FastifyInstance;
let token: string;
const shutdown = new AbortController();

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dozen-log-history-'));
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: dataDir, DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, metrics: [], metricsToken: 'scrape-me-please-0123456789' });
  token = readFileSync(graph.adminTokenFile, 'utf8').trim();
  await api.inject({ method: 'POST', url: '/apps', headers: { authorization: `Bearer ${token}` }, payload: { name: 'shop' } });
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

const logs = async (query: string) => {
  const response = await api.inject({ url: `/apps/shop/logs?${query}`, headers: { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: JSON.parse(response.body) as { id: string; message: string }[] & { error?: { code: string } } };
};

describe('GET /apps/:app/logs?before=ID (the dashboard pages back through the history)', () => {
  it('answers the newest lines older than the id, page after page, until the start', async () => {
    for (let i = 1; i <= 500; i++) graph.logs.append({ app: 'shop', source: 'app', process: 'web.1', message: `line ${i}` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const own = (page: { message: string }[]) => page.filter((l) => l.message.startsWith('line ')).map((l) => l.message);
    const newest = (await logs('lines=200&process=web')).body;
    expect(own(newest)).toEqual(Array.from({ length: 200 }, (_, i) => `line ${301 + i}`));
    const older = (await logs(`lines=200&process=web&before=${newest[0]!.id}`)).body;
    expect(own(older)).toEqual(Array.from({ length: 200 }, (_, i) => `line ${101 + i}`));
    const oldest = (await logs(`lines=200&process=web&before=${older[0]!.id}`)).body;
    expect(own(oldest)).toEqual(Array.from({ length: 100 }, (_, i) => `line ${1 + i}`));
    expect((await logs(`lines=200&process=web&before=${oldest[0]!.id}`)).body).toEqual([]);
  });

  it('refuses a before that is not a line id', async () => {
    const answer = await logs('before=abc');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('LOG_QUERY_INVALID');
  });
});
