import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { addUser, completeSetup } from '../core/use-cases/users.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildApi } from './server.js';

type Body = Record<string, unknown> & { error: { code: string; message: string } };

/** Dashboard sessions over the API (Fastify inject, the real graph and store): cookie, CSRF, Origin, sign-out, static files. */
let graph: PlatformGraph;
let api: FastifyInstance;
let admin: string;
const shutdown = new AbortController();
const ORIGIN = 'http://dozen.test';
const dist = mkdtempSync(join(tmpdir(), 'dozen-dash-dist-'));

const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) => {
  const response = await api.inject({ method, url, remoteAddress: '127.0.0.1', headers: { host: 'dozen.test', ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, headers: response.headers, body: (String(response.headers['content-type']).startsWith('application/json') ? JSON.parse(response.body) : {}) as Body, text: response.body };
};

/** Signs in; answers the cookie header to send back and the CSRF token. */
async function signIn(body: Record<string, string>, headers: Record<string, string> = {}): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const answer = await call('POST', '/session', { origin: ORIGIN, 'sec-fetch-site': 'same-origin', ...headers }, body);
  expect(answer.status, answer.text).toBe(201);
  const setCookie = String(answer.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, csrf: answer.body.csrfToken as string, setCookie };
}

beforeAll(async () => {
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'dozen-session-')), DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1.js"></script>');
  writeFileSync(join(dist, 'assets', 'app-1.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, trustProxy: ['loopback'], dashboardDir: dist });
  admin = readFileSync(graph.adminTokenFile, 'utf8').trim();
  const { setupCode } = await addUser(graph.deps, 'ada@example.com');
  await completeSetup(graph.deps, setupCode, 'correct horse battery');
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

describe('dashboard sessions', () => {
  it('sign-in sets an HttpOnly SameSite=Strict cookie (Secure only over HTTPS) holding no token of the account', async () => {
    const plain = await signIn({ email: 'ada@example.com', password: 'correct horse battery' });
    expect(plain.setCookie).toMatch(/^dozen_session=dzn_[\w-]+; Path=\/; Max-Age=43(199|200); HttpOnly; SameSite=Strict$/);
    const https = await signIn({ email: 'ada@example.com', password: 'correct horse battery' }, { 'x-forwarded-proto': 'https', origin: 'https://dozen.test' });
    expect(https.setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const who = await call('GET', '/session', { cookie: plain.cookie });
    expect(who.body).toMatchObject({ label: 'ada@example.com', admin: false, csrfToken: plain.csrf });
    const wrong = await call('POST', '/session', { origin: ORIGIN }, { email: 'ada@example.com', password: 'nope nope nope' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'LOGIN_FAILED']);
    const both = await call('POST', '/session', { origin: ORIGIN }, { email: 'ada@example.com', token: admin });
    expect([both.status, both.body.error.code]).toEqual([400, 'SESSION_LOGIN_INVALID']);
    const elsewhere = await call('POST', '/session', { origin: 'http://evil.test' }, { token: admin });
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([403, 'CSRF_REJECTED']);
  });

  it('a mutating request with the cookie needs the CSRF token and the same origin; a token request is unchanged', async () => {
    const { cookie, csrf } = await signIn({ token: admin });
    const create = (name: string, headers: Record<string, string>) => call('POST', '/apps', { cookie, ...headers }, { name });
    expect((await create('a-none', { origin: ORIGIN })).body.error.code).toBe('CSRF_REJECTED');
    expect((await create('a-wrong', { origin: ORIGIN, 'x-csrf-token': `${csrf}x` })).body.error.code).toBe('CSRF_REJECTED');
    expect((await create('a-cross', { origin: 'http://app.dozen.test', 'x-csrf-token': csrf })).body.error.code).toBe('CSRF_REJECTED');
    expect((await create('a-site', { origin: ORIGIN, 'sec-fetch-site': 'same-site', 'x-csrf-token': csrf })).body.error.code).toBe('CSRF_REJECTED');
    expect((await create('a-bare', { 'x-csrf-token': csrf })).body.error.code).toBe('CSRF_REJECTED');
    expect((await create('a-good', { origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf })).status).toBe(201);
    expect((await call('GET', '/apps', { cookie })).status).toBe(200);
    expect((await call('POST', '/apps', { authorization: `Bearer ${admin}` }, { name: 'a-token' })).status).toBe(201);
    const summaries = await call('GET', '/app-summaries', { cookie });
    expect(summaries.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'a-good', state: 'idle', processesUp: 0, processesTotal: 0, permissions: ['view', 'deploy', 'operate', 'manage'] })]));
  });

  it('sign-out revokes the session and clears the cookie; a token request signs nothing out', async () => {
    const { cookie, csrf } = await signIn({ email: 'ada@example.com', password: 'correct horse battery' });
    expect((await call('DELETE', '/session', { authorization: `Bearer ${admin}` })).body).toEqual({ signedOut: false });
    expect((await call('DELETE', '/session', { cookie, origin: ORIGIN })).body.error.code).toBe('CSRF_REJECTED');
    const out = await call('DELETE', '/session', { cookie, origin: ORIGIN, 'x-csrf-token': csrf });
    expect(out.body).toEqual({ signedOut: true });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await call('GET', '/session', { cookie })).body.error.code).toBe('UNAUTHORIZED');
  });

  it('serves the dashboard with a strict CSP: index.html for client routes, hashed assets cached a year and gzipped', async () => {
    for (const path of ['/', '/ui/apps/shop/config']) {
      const page = await call('GET', path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('/assets/app-1.js');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'; script-src 'self'");
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    const asset = await api.inject({ method: 'GET', url: '/assets/app-1.js', headers: { 'accept-encoding': 'gzip' } });
    expect([asset.statusCode, asset.headers['content-encoding'], asset.headers['cache-control']]).toEqual([200, 'gzip', 'public, max-age=31536000, immutable']);
    expect(asset.rawPayload.length).toBeLessThan(500);
    expect((await call('GET', '/assets/missing.js')).body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});
