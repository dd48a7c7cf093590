import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPath, routes, streamRoutes } from '@dozen/contracts';
import { parseConfig } from '../config.js';
import { hashToken } from '../core/use-cases/tokens.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { tarball } from '../test-support/tarball.js';
import { buildApi } from './server.js';

let graph: PlatformGraph;
let api: FastifyInstance;
let token: string;
let dataDir: string;
const shutdown = new AbortController();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dozen-api-'));
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: dataDir, DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal });
  token = readFileSync(graph.adminTokenFile, 'utf8').trim();
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const json = (response: { body: string }) => JSON.parse(response.body) as { error: { code: string; message: string; hint: string; requestId: string } };

describe('authentication', () => {
  it('answers the public routes (health, login, setup) without a token and nothing else', async () => {
    expect((await api.inject({ url: '/healthz' })).statusCode).toBe(200);
    const all = [...Object.values(routes), ...Object.values(streamRoutes)].filter((r) => r.access !== 'public');
    for (const route of all) {
      const url = fillPath(route.url, { app: 'demo', backup: 'b1', build: 'b1', drain: 'd1', addon: 'postgres-1', name: 'DATABASE_URL', process: 'web.1', type: 'web', hostname: 'www.example.com', email: 'ada@example.com', token: 't1', cert: 'demo-1', version: '1' });
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${token}` }]) {
        const response = await api.inject({ method: route.method, url, headers });
        expect(response.statusCode, `${route.method} ${url}`).toBe(401);
        expect(json(response).error.code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('matches the public path exactly, never through the query or dot segments', async () => {
    for (const url of ['/apps?x=/healthz', '/healthz/../apps', '/healthz/', '/HEALTHZ', '/nope']) {
      expect((await api.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('stores only a hash of the admin token, in a file only the owner can read', async () => {
    // The database and its WAL (where SQLite keeps recent writes until a checkpoint), journal, shm.
    const files = readdirSync(dataDir).filter((name) => name.startsWith('dozen.db'));
    expect(files).toContain('dozen.db-wal');
    const bytes = Buffer.concat(files.map((name) => readFileSync(join(dataDir, name))));
    expect(bytes.includes(Buffer.from(hashToken(token))), 'the hash is where the store writes').toBe(true);
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(readdirSync(dataDir)).toContain('admin-token');
    expect(statSync(graph.adminTokenFile).mode & 0o777).toBe(0o600);
  });
});

describe('apps: bad input gets a stable code, a message naming the value, a hint', () => {
  it.each(['A', '-x', 'a;id', '../x', 'a'.repeat(31), '', 'a', 'web.1', 'a b', 'ä'])('rejects the name %j', async (name) => {
    const response = await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name } });
    expect(response.statusCode).toBe(422);
    const { error } = json(response);
    expect(error.code).toBe('APP_NAME_INVALID');
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.hint).toMatch(/lowercase letter/);
    expect(error.requestId).toBeTruthy();
  });

  it('creates an app once, refuses the same name again, and lists it', async () => {
    expect((await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'demo' } })).statusCode).toBe(201);
    const again = await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'demo' } });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('APP_NAME_TAKEN');
    const list = JSON.parse((await api.inject({ url: '/apps', headers: auth() })).body) as { name: string }[];
    expect(list.map((a) => a.name)).toEqual(['demo']);
  });

  it('reports an unknown app as not found and a malformed one as invalid', async () => {
    const missing = await api.inject({ url: '/apps/nope', headers: auth() });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('APP_NOT_FOUND');
    const traversal = await api.inject({ url: '/apps/..%2Fx/config', headers: auth() });
    expect(json(traversal).error.code).toBe('APP_NAME_INVALID');
  });

  it('rejects a body that does not fit the schema', async () => {
    const response = await api.inject({ method: 'POST', url: '/apps', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"name": 5' });
    expect(response.statusCode).toBe(400);
    const wrongType = await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 5 } });
    expect(wrongType.statusCode).toBe(400);
    expect(json(wrongType).error.code).toBe('INVALID_REQUEST');
    expect(json(wrongType).error.message).toMatch(/name/);
  });

  it('needs the name repeated to destroy an app', async () => {
    const response = await api.inject({ method: 'DELETE', url: '/apps/demo', headers: auth() });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.code).toBe('APP_DESTROY_UNCONFIRMED');
  });
});

describe('config vars', () => {
  const patch = (payload: unknown) => api.inject({ method: 'PATCH', url: '/apps/demo/config', headers: auth(), payload: payload as Record<string, unknown> });

  it.each([
    ['a key with a space', { 'A B': 'x' }, 'CONFIG_KEY_INVALID'],
    ['a key starting with a digit', { '1A': 'x' }, 'CONFIG_KEY_INVALID'],
    ['a key with =', { 'A=B': 'x' }, 'CONFIG_KEY_INVALID'],
    ['PORT', { PORT: '1' }, 'CONFIG_KEY_RESERVED'],
    ['a NUL byte', { A: 'a\u0000b' }, 'CONFIG_VALUE_INVALID'],
    ['33 KB of config', { BIG: 'x'.repeat(33 * 1024) }, 'CONFIG_TOO_LARGE'],
  ])('rejects %s with its code and changes nothing', async (_label, body, code) => {
    const response = await patch(body);
    expect(json(response).error.code).toBe(code);
    expect(response.statusCode).toBe(422);
    const releases = JSON.parse((await api.inject({ url: '/apps/demo/releases', headers: auth() })).body) as unknown[];
    expect(releases).toEqual([]);
  });

  it('keeps values byte-exact and makes a release per change', async () => {
    const value = "line1\nline2 $(id) `id` '\"${HOME} é";
    const response = await patch({ GREETING: value });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).release.version).toBe(1);
    expect(JSON.parse((await api.inject({ url: '/apps/demo/config', headers: auth() })).body)).toEqual({ GREETING: value });
    const unchanged = JSON.parse((await patch({ GREETING: value })).body);
    expect(unchanged.release).toBeNull();
  });
});

describe('processes and releases before any deploy', () => {
  it('refuses to scale, run, roll back or restart a process type of an app with nothing deployed, and starts nothing', async () => {
    const releasesBefore = (await api.inject({ url: '/apps/demo/releases', headers: auth() })).body;
    const refused = async (method: 'PATCH' | 'POST', url: string, payload: Record<string, unknown>) => {
      const response = await api.inject({ method, url, headers: auth(), payload });
      return `${method} ${url} -> ${response.statusCode} ${json(response).error?.code}`;
    };
    expect(await refused('PATCH', '/apps/demo/formation', { updates: [{ type: 'web', quantity: 1 }] })).toBe('PATCH /apps/demo/formation -> 409 NO_RELEASE');
    // Like Heroku's ps:restart on an app without dynos: restarting everything is a no-op, a named type is unknown.
    const restart = await api.inject({ method: 'POST', url: '/apps/demo/processes/restart', headers: auth(), payload: {} });
    expect([restart.statusCode, JSON.parse(restart.body)]).toEqual([200, []]);
    expect(await refused('POST', '/apps/demo/processes/restart', { type: 'web' })).toBe('POST /apps/demo/processes/restart -> 422 PROCESS_TYPE_UNKNOWN');
    expect(await refused('POST', '/apps/demo/runs', { command: ['true'] })).toBe('POST /apps/demo/runs -> 409 NO_RELEASE');
    expect(await refused('POST', '/apps/demo/releases/rollback', {})).toBe('POST /apps/demo/releases/rollback -> 404 RELEASE_NOT_FOUND');
    expect((await api.inject({ url: '/apps/demo/releases', headers: auth() })).body).toBe(releasesBefore);
    expect(JSON.parse((await api.inject({ url: '/apps/demo/processes', headers: auth() })).body)).toEqual([]);
    const empty = await api.inject({ method: 'PATCH', url: '/apps/demo/formation', headers: auth(), payload: { updates: [] } });
    expect(empty.statusCode).toBe(400);
  });
});

describe('source uploads', () => {
  beforeAll(async () => {
    await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'uploads' } });
  });
  const upload = (body: Buffer) => api.inject({ method: 'POST', url: '/apps/uploads/builds', headers: { ...auth(), 'content-type': 'application/gzip' }, payload: body });

  it('refuses archives that are not gzipped tarballs', async () => {
    for (const body of [Buffer.from('not an archive at all'), tarball([{ path: 'package.json', content: '{}' }]).subarray(0, 40), Buffer.alloc(0)]) {
      const response = await upload(body);
      expect(response.statusCode).toBe(400);
      expect(json(response).error.code).toBe('SOURCE_INVALID');
    }
  });

  it.each([
    ['../evil', { path: '../evil', content: 'x' }],
    ['/etc/evil', { path: '/etc/evil', content: 'x' }],
    ['link', { path: 'link', type: '2', linkpath: '/etc' }],
    ['up', { path: 'up', type: '2', linkpath: '../../..' }],
    ['hard', { path: 'hard', type: '1', linkpath: '/etc/passwd' }],
    ['dev', { path: 'dev', type: '3' }],
    ['fifo', { path: 'fifo', type: '6' }],
  ])('refuses an archive with %s, naming the entry, writing nothing', async (name, entry) => {
    const response = await upload(tarball([{ path: 'package.json', content: '{}' }, entry]));
    expect(response.statusCode).toBe(400);
    expect(json(response).error.message).toContain(JSON.stringify(name === '/etc/evil' ? '/etc/evil' : name));
    expect(existsSync(join(dataDir, 'evil'))).toBe(false);
    expect(readdirSync(join(dataDir, 'tmp', 'sources'))).toEqual([]);
  });

  it('refuses duplicate entries', async () => {
    const response = await upload(tarball([{ path: 'a.js', content: '1' }, { path: './a.js', content: '2' }]));
    expect(json(response).error.message).toMatch(/collides/);
  });
});

describe('process runtime routes before any deploy (issue 4)', () => {
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) => api.inject({ method, url, headers: auth(), ...(payload ? { payload } : {}) });

  it('answers each bad input with its code', async () => {
    expect(json(await call('POST', '/apps/demo/processes/web.1/stop')).error.code).toBe('PROCESS_NOT_FOUND');
    expect(json(await call('PATCH', '/apps/demo/process-types/web', { graceSeconds: 5 })).error.code).toBe('NO_RELEASE');
    expect(json(await call('PATCH', '/apps/demo/process-types/web', { graceSeconds: -1 })).error.code).toBe('INVALID_REQUEST');
    expect(json(await call('PATCH', '/apps/demo/process-types/web', { strategy: 'sideways' })).error.code).toBe('INVALID_REQUEST');
    expect(json(await call('PATCH', '/apps/demo/process-types/web', { colour: 'red' })).error.code).toBe('INVALID_REQUEST');
    expect(json(await call('POST', '/apps/demo/formation/plan', { updates: [{ type: 'web', quantity: 1 }] })).error.code).toBe('NO_RELEASE');
    expect(json(await call('POST', '/apps/demo/runs', { command: ['true'] })).error.code).toBe('NO_RELEASE');
    expect(json(await call('POST', '/apps/demo/runs', { command: ['true'], timeoutSeconds: 0 })).error.code).toBe('INVALID_REQUEST');
    expect(json(await call('POST', '/apps/demo/runs', { command: [] })).error.code).toBe('INVALID_REQUEST');
    const procfile = await call('POST', '/apps/demo/releases/plan', { procfile: 'web node server.js' });
    expect(json(procfile).error.code).toBe('PROCFILE_INVALID');
    expect(JSON.parse((await call('GET', '/apps/demo/process-types')).body)).toEqual([]);
  });

  it('plans a first deploy from a Procfile without doing it', async () => {
    const response = await call('POST', '/apps/demo/releases/plan', { procfile: 'web: node server.js\nworker: node worker.js\n' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ app: 'demo', release: 2, steps: [[{ action: 'start', process: 'web.1', release: 2, reason: null }]] });
    expect(JSON.parse((await call('GET', '/apps/demo/processes')).body)).toEqual([]);
  });
});

describe('git smart HTTP routes', () => {
  const basic = (password: string, user = 'dozen') => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  beforeAll(async () => {
    await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'gitapp' } });
  });

  it('asks git for credentials (401 with a Basic challenge) and accepts the token as the Basic password, on git routes only', async () => {
    const refs = '/git/gitapp.git/info/refs?service=git-upload-pack';
    for (const headers of [{}, basic('wrong'), { authorization: 'Basic !!!' }, { authorization: `Basic ${token}` }, basic('')]) {
      const denied = await api.inject({ url: refs, headers });
      expect(denied.statusCode).toBe(401);
      expect(denied.headers['www-authenticate']).toMatch(/^Basic realm="Dozen"/);
    }
    const ok = await api.inject({ url: refs, headers: basic(token, 'anyone') });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/x-git-upload-pack-advertisement');
    expect(ok.body).toContain('# service=git-upload-pack');
    expect((await api.inject({ url: refs, headers: auth() })).statusCode).toBe(200);
    // The REST API does not take Basic credentials, and does not challenge.
    const rest = await api.inject({ url: '/apps', headers: basic(token) });
    expect(rest.statusCode).toBe(401);
    expect(rest.headers['www-authenticate']).toBeUndefined();
  });

  it('makes the bare repository on first use, under the app id, never under a name from the URL', async () => {
    await api.inject({ url: '/git/gitapp.git/info/refs?service=git-receive-pack', headers: auth() });
    const repos = readdirSync(join(dataDir, 'git', 'repos'));
    const app = await graph.store.findApp('gitapp');
    expect(repos).toContain(`${app?.id}.git`);
    expect(repos.every((name) => /^[0-9a-f-]{36}\.git$/.test(name))).toBe(true);
  });

  it.each([
    ['/git/..git/info/refs?service=git-upload-pack', 422, 'APP_NAME_INVALID'],
    ['/git/a%2F..%2Fgitapp.git/info/refs?service=git-upload-pack', 422, 'APP_NAME_INVALID'],
    ['/git/%2E%2E%2Fx.git/info/refs?service=git-upload-pack', 422, 'APP_NAME_INVALID'],
    ['/git/gitapp.git.git/info/refs?service=git-upload-pack', 422, 'APP_NAME_INVALID'],
    ['/git/nope.git/info/refs?service=git-upload-pack', 404, 'APP_NOT_FOUND'],
    ['/git/gitapp/info/refs?service=git-upload-pack', 404, 'ROUTE_NOT_FOUND'],
    ['/git/gitapp.git/HEAD', 404, 'ROUTE_NOT_FOUND'],
    ['/git/gitapp.git/objects/info/packs', 404, 'ROUTE_NOT_FOUND'],
    ['/git/gitapp.git/info/refs', 400, 'INVALID_REQUEST'],
    ['/git/gitapp.git/info/refs?service=git-upload-archive', 400, 'INVALID_REQUEST'],
  ])('refuses %s with %i %s, making no repository', async (url, status, code) => {
    const before = readdirSync(join(dataDir, 'git', 'repos'));
    const response = await api.inject({ url, headers: auth() });
    expect(response.statusCode).toBe(status);
    expect(json(response).error.code).toBe(code);
    expect(readdirSync(join(dataDir, 'git', 'repos'))).toEqual(before);
  });

  it('shows and sets the deploy branch, refusing names a push would be refused', async () => {
    const info = JSON.parse((await api.inject({ url: '/apps/gitapp/git', headers: auth() })).body);
    expect(info).toEqual({ app: 'gitapp', path: '/git/gitapp.git', deployBranch: null, deployBranches: ['main', 'master'] });
    const set = await api.inject({ method: 'PATCH', url: '/apps/gitapp/git', headers: auth(), payload: { deployBranch: 'production' } });
    expect(JSON.parse(set.body).deployBranches).toEqual(['production']);
    for (const name of ['-x', 'a..b', 'a\u0001b', '$(id)']) {
      const bad = await api.inject({ method: 'PATCH', url: '/apps/gitapp/git', headers: auth(), payload: { deployBranch: name } });
      expect(bad.statusCode, name).toBe(422);
      expect(json(bad).error.code).toBe('GIT_REF_INVALID');
      expect(json(bad).error.message).toContain(JSON.stringify(name));
    }
    const reset = await api.inject({ method: 'PATCH', url: '/apps/gitapp/git', headers: auth(), payload: { deployBranch: null } });
    expect(JSON.parse(reset.body).deployBranch).toBeNull();
  });

  it('refuses an upload whose commit is not a full commit id', async () => {
    for (const commit of ['abc', '--output=x', 'A'.repeat(40)]) {
      const response = await api.inject({ method: 'POST', url: `/apps/gitapp/builds?commit=${encodeURIComponent(commit)}`, headers: { ...auth(), 'content-type': 'application/gzip' }, payload: tarball([{ path: 'Procfile', content: 'web: x' }]) });
      expect(response.statusCode, commit).toBe(400);
      expect(json(response).error.message).toContain('not a full commit id');
    }
  });
});
