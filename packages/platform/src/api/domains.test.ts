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
const metricsToken = 'scrape-me-please-0123456789';
const shutdown = new AbortController();

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dozen-domains-'));
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: dataDir, DOZEN_DOMAIN: 'apps.example.com', DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, metrics: [graph.local!.routerMetrics], metricsToken });
  token = readFileSync(graph.adminTokenFile, 'utf8').trim();
  for (const name of ['shop', 'blog']) await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name } });
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const add = (app: string, hostname: string) => api.inject({ method: 'POST', url: `/apps/${app}/domains`, headers: auth(), payload: { hostname } });
const error = (response: { body: string }) => (JSON.parse(response.body) as { error: { code: string; message: string } }).error;

describe('custom domains', () => {
  it('adds exact and wildcard domains, lists them, and routes them at once', async () => {
    expect((await add('shop', 'www.shop.test')).statusCode).toBe(201);
    const wildcard = await add('shop', '*.shop.test');
    expect(JSON.parse(wildcard.body)).toMatchObject({ hostname: '*.shop.test', kind: 'wildcard' });
    const list = JSON.parse((await api.inject({ url: '/apps/shop/domains', headers: auth() })).body) as { hostname: string; kind: string }[];
    expect(list.map((d) => [d.hostname, d.kind])).toEqual([['*.shop.test', 'wildcard'], ['www.shop.test', 'exact']]);
    expect(graph.local!.hosts.resolve('www.shop.test')).toBe('shop');
    expect(graph.local!.hosts.resolve('eu.shop.test:8080')).toBe('shop');
    expect((await graph.deps.logs.recent('shop', 10, {})).records.map((l) => l.message)).toContain('Domain www.shop.test added by admin');
  });

  it.each([
    ['WWW.Shop.test', 'DOMAIN_INVALID', 'www.shop.test'],
    ['shop.test.', 'DOMAIN_INVALID', 'shop.test'],
    ['localhost', 'DOMAIN_INVALID', ''],
    ['10.0.0.1', 'DOMAIN_INVALID', ''],
    ['a b.test', 'DOMAIN_INVALID', ''],
    ['*.test', 'DOMAIN_INVALID', ''],
    ['a.*.test', 'DOMAIN_INVALID', ''],
    ['shop.test:80', 'DOMAIN_INVALID', ''],
    ['-x.test', 'DOMAIN_INVALID', ''],
    ['x.apps.example.com', 'DOMAIN_RESERVED', ''],
    ['*.apps.example.com', 'DOMAIN_RESERVED', ''],
    ['apps.example.com', 'DOMAIN_RESERVED', ''],
  ])('refuses %j with %s, naming it', async (hostname, code, suggestion) => {
    const response = await add('blog', hostname);
    expect(response.statusCode).toBe(422);
    expect(error(response).code).toBe(code);
    expect(error(response).message).toContain(hostname);
    if (suggestion) expect(error(response).message).toContain(`Write it as ${suggestion}.`);
  });

  it('gives a domain to one app only, and removes it', async () => {
    const taken = await add('blog', 'www.shop.test');
    expect([taken.statusCode, error(taken).code]).toEqual([409, 'DOMAIN_TAKEN']);
    expect(error(taken).message).toContain('shop');
    const missing = await api.inject({ method: 'DELETE', url: '/apps/blog/domains/www.shop.test', headers: auth() });
    expect([missing.statusCode, error(missing).code]).toEqual([404, 'DOMAIN_NOT_FOUND']);
    const removed = await api.inject({ method: 'DELETE', url: '/apps/shop/domains/www.shop.test', headers: auth() });
    expect(JSON.parse(removed.body)).toEqual({ removed: 'www.shop.test' });
    // Still shop's through its wildcard, until an exact domain of another app takes precedence.
    expect(graph.local!.hosts.resolve('www.shop.test')).toBe('shop');
    expect((await add('blog', 'www.shop.test')).statusCode).toBe(201);
    expect(graph.local!.hosts.resolve('www.shop.test')).toBe('blog');
  });

  it('forgets the domains of a destroyed app', async () => {
    await api.inject({ method: 'DELETE', url: '/apps/shop?confirm=shop', headers: auth() });
    expect(graph.local!.hosts.resolve('eu.shop.test')).toBe('');
    expect((await graph.store.listDomains()).map((d) => d.hostname)).toEqual(['www.shop.test']);
  });
});

describe('GET /metrics', () => {
  it('answers an API token and the metrics token, in the Prometheus text format', async () => {
    graph.local!.routerMetrics.app('blog').observe(200, 12);
    graph.local!.routerMetrics.app('blog').error('H12');
    for (const headers of [auth(), { authorization: `Bearer ${metricsToken}` }]) {
      const response = await api.inject({ url: '/metrics', headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
      expect(response.body).toContain('# TYPE dozen_router_requests_total counter');
      expect(response.body).toContain('dozen_router_requests_total{app="blog",status="2xx"} 1');
      expect(response.body).toContain('dozen_router_request_duration_seconds_bucket{app="blog",le="0.025"} 1');
      expect(response.body).toContain('dozen_router_upstream_errors_total{app="blog",code="H12"} 1');
      expect(response.body).toContain('dozen_router_open_connections 0');
    }
  });

  it('opens nothing else to the metrics token', async () => {
    const response = await api.inject({ url: '/apps', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.statusCode).toBe(401);
    expect((await api.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-me-please-0123456780' } })).statusCode).toBe(401);
    expect((await api.inject({ url: '/metrics?x=1', headers: { authorization: `Bearer ${metricsToken}` } })).statusCode).toBe(200);
  });
});

describe('certificates and HTTPS settings: bad input through the API', () => {
  it('a 5 MB upload is refused by the body limit; bad HTTPS settings and unknown certificates answer their codes', async () => {
    await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'tls' } });
    const huge = await api.inject({ method: 'POST', url: '/apps/tls/certs', headers: auth(), payload: { certificate: 'A'.repeat(5 * 1024 * 1024), privateKey: 'x' } });
    expect(huge.statusCode).toBe(413);
    expect(error(huge).code).toBe('PAYLOAD_TOO_LARGE');
    const garbage = await api.inject({ method: 'POST', url: '/apps/tls/certs', headers: auth(), payload: { certificate: 'not a pem', privateKey: 'x' } });
    expect([garbage.statusCode, error(garbage).code]).toEqual([422, 'CERT_INVALID']);
    const mode = await api.inject({ method: 'PATCH', url: '/apps/tls/https', headers: auth(), payload: { mode: 'sometimes' } });
    expect([mode.statusCode, error(mode).code]).toEqual([422, 'HTTPS_SETTINGS_INVALID']);
    const age = await api.inject({ method: 'PATCH', url: '/apps/tls/https', headers: auth(), payload: { hstsMaxAge: -1 } });
    expect([age.statusCode, error(age).code]).toEqual([422, 'HTTPS_SETTINGS_INVALID']);
    const missing = await api.inject({ url: '/apps/tls/certs/shop-9', headers: auth() });
    expect([missing.statusCode, error(missing).code]).toEqual([404, 'CERT_NOT_FOUND']);
    const refresh = await api.inject({ method: 'POST', url: '/apps/tls/acm/refresh', headers: auth() });
    expect([refresh.statusCode, error(refresh).code]).toEqual([409, 'ACME_NOT_ENABLED']);
  });
});
