import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildApi } from './server.js';

type Body = Record<string, unknown> & { error: { code: string; message: string } };

/** Accounts and tokens over the API (Fastify inject, the real graph and store): the answers a client sees. */
let graph: PlatformGraph;
let api: FastifyInstance;
let admin: string;
const shutdown = new AbortController();

const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: unknown, ip = '127.0.0.1') => {
  const response = await api.inject({ method, url, remoteAddress: ip, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Body };
};

beforeAll(async () => {
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'dozen-auth-')), DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal });
  admin = readFileSync(graph.adminTokenFile, 'utf8').trim();
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

describe('accounts over the API', () => {
  it('users:add answers a setup code once (only its hash is kept); setup sets the password and logs in', async () => {
    const added = await call('POST', '/users', admin, { email: 'Ada@Example.com' });
    expect(added.status).toBe(201);
    expect(added.body.setupUrl).toBe(`http://localhost:80/setup#${added.body.setupCode as string}`);
    const store = readFileSync(join(graph.adminTokenFile, '..', 'dozen.db-wal'));
    expect(store.includes(Buffer.from(added.body.setupCode as string))).toBe(false);
    const weak = await call('POST', '/auth/setup', undefined, { code: added.body.setupCode, password: 'short' });
    expect([weak.status, weak.body.error.code]).toEqual([422, 'PASSWORD_WEAK']);
    const session = await call('POST', '/auth/setup', undefined, { code: added.body.setupCode, password: 'correct horse battery' });
    expect([session.status, session.body.email]).toEqual([201, 'ada@example.com']);
    expect((await call('GET', '/auth/whoami', session.body.token as string)).body).toEqual({ token: session.body.tokenId, role: 'user', label: 'ada@example.com', admin: false });
    expect(readFileSync(join(graph.adminTokenFile, '..', 'dozen.db-wal')).includes(Buffer.from('correct horse battery'))).toBe(false);
  });

  it('failed logins from one address: 401 five times, then 429 with Retry-After, while another address still gets in', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await call('POST', '/auth/login', undefined, { email: 'ada@example.com', password: `wrong ${i}` }, '10.9.9.9');
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'LOGIN_FAILED']);
    }
    const limited = await call('POST', '/auth/login', undefined, { email: 'ada@example.com', password: 'correct horse battery' }, '10.9.9.9');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'LOGIN_RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(limited.body.error.message).toMatch(/try again in \d+ seconds/);
    const elsewhere = await call('POST', '/auth/login', undefined, { email: 'ada@example.com', password: 'correct horse battery' }, '10.8.8.8');
    expect(elsewhere.status).toBe(201);
  });

  it('logout revokes the token that calls it: the next request is 401 with the reason', async () => {
    const session = await call('POST', '/auth/login', undefined, { email: 'ada@example.com', password: 'correct horse battery' });
    const token = session.body.token as string;
    expect((await call('DELETE', '/auth/session', token)).body).toEqual({ revoked: session.body.tokenId });
    const after = await call('GET', '/apps', token);
    expect([after.status, after.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    expect(after.body.error.message).toMatch(new RegExp(`^The token ${session.body.tokenId as string} was revoked at `));
  });

  it("the host's admin token cannot be revoked through the API, and a user's token list holds no secret", async () => {
    const self = await call('DELETE', '/auth/session', admin);
    expect([self.status, self.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await call('GET', '/apps', admin)).status).toBe(200);
    const tokens = await call('GET', '/tokens', admin);
    expect(JSON.stringify(tokens.body)).not.toContain(admin);
    expect(JSON.stringify(tokens.body)).not.toMatch(/dzn_|hash/);
  });

  it('bad input: unknown permissions are listed, an unknown user is named, a token cannot outgrow its owner', async () => {
    await call('POST', '/apps', admin, { name: 'shop' });
    const unknown = await call('POST', '/apps/shop/access', admin, { email: 'ada@example.com', permissions: ['deploy', 'root'] });
    expect([unknown.status, unknown.body.error.message]).toEqual([422, '"root" is not a permission: the permissions are view, deploy, operate, manage.']);
    const nobody = await call('POST', '/apps/shop/access', admin, { email: 'nobody@example.com', permissions: ['view'] });
    expect([nobody.status, nobody.body.error.message]).toEqual([404, 'There is no user nobody@example.com.']);
    const ada = (await call('POST', '/auth/login', undefined, { email: 'ada@example.com', password: 'correct horse battery' })).body.token as string;
    const hidden = await call('POST', '/tokens', ada, { app: 'shop', permissions: ['deploy'] });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'APP_NOT_FOUND']);
    await call('POST', '/apps/shop/access', admin, { email: 'ada@example.com', permissions: ['view'] });
    const more = await call('POST', '/tokens', ada, { app: 'shop', permissions: ['deploy'] });
    expect([more.status, more.body.error.code]).toEqual([403, 'PERMISSION_DENIED']);
  });
});

describe('the client address behind the router (trustProxy as main.ts sets it: loopback)', () => {
  it("believes X-Forwarded-For from loopback (the router) only: a remote client's own header is ignored", async () => {
    const trusting = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, trustProxy: ['loopback'] });
    const login = (from: string, forwarded?: string) =>
      trusting.inject({ method: 'POST', url: '/auth/login', remoteAddress: from, headers: forwarded ? { 'x-forwarded-for': forwarded } : {}, payload: { email: 'nobody@example.com', password: 'wrong password' } });
    try {
      // Through the router: the throttle counts the forwarded client, not the router's 127.0.0.1.
      for (let i = 0; i < 5; i++) expect((await login('127.0.0.1', '10.7.7.7')).statusCode).toBe(401);
      expect((await login('127.0.0.1', '10.7.7.7')).statusCode).toBe(429);
      expect((await login('127.0.0.1', '10.7.7.8')).statusCode).toBe(401);
      // A remote client naming another address in its own header is still counted as itself.
      for (let i = 0; i < 5; i++) expect((await login('10.5.5.5', `10.6.6.${i}`)).statusCode).toBe(401);
      expect((await login('10.5.5.5')).statusCode).toBe(429);
    } finally {
      await trusting.close();
    }
  });
});
