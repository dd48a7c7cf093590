import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, streamRoutes, type Access } from '@dozen/contracts';
import { parseConfig } from '../config.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import type { Permission } from '../core/model.js';
import { grantAccess } from '../core/use-cases/access.js';
import { createApp } from '../core/use-cases/apps.js';
import { createToken } from '../core/use-cases/tokens.js';
import { addUser, completeSetup } from '../core/use-cases/users.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { allRoutes, checkMatrix, MATRIX_APP, parseAccessTable, SCOPED_PERMISSIONS, type Role } from '../test-support/access-matrix.js';
import { ACCESS_RULES } from './authorize.js';
import { buildApi } from './server.js';

/**
 * Issue 13, acceptance 3: every route (JSON and streams) called as every role against a real API
 * on a real store, each answer compared with the published table (docs/access.md).
 */
const DOCS = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'access.md');
const published = parseAccessTable(readFileSync(DOCS, 'utf8'));

let graph: PlatformGraph;
const apis: FastifyInstance[] = [];
const shutdown = new AbortController();
const tokens = {} as Record<Role, string | undefined>;

async function user(email: string): Promise<string> {
  const { setupCode } = await addUser(graph.deps, email);
  return (await completeSetup(graph.deps, setupCode, 'correct horse battery')).token;
}

async function api(rules?: ReadonlyMap<string, Access>): Promise<FastifyInstance> {
  const made = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal, clusterToken: 'the-cluster-token-of-the-access-matrix-test', ...(rules ? { accessRules: rules } : {}) });
  apis.push(made);
  return made;
}

/** A fresh set of tokens (logout, the last route, revokes the one it is called with). */
async function mintTokens(): Promise<void> {
  const login = async (email: string) => (await import('../core/use-cases/tokens.js')).issueUserToken(graph.deps, (await graph.deps.store.findUserByEmail(email))!, 'test');
  tokens.admin = readFileSync(graph.adminTokenFile, 'utf8').trim();
  for (const role of ['owner', 'manage', 'operate', 'deploy', 'view', 'stranger'] as const) tokens[role] = (await login(`${role}@example.com`)).token;
  const owner = await graph.deps.store.findUserByEmail('owner@example.com');
  const principal = { tokenId: 'x', userId: owner!.id, label: owner!.email, admin: false, appId: null, permissions: null };
  tokens.scoped = (await createToken(graph.deps, principal, { app: MATRIX_APP, permissions: SCOPED_PERMISSIONS.filter((p) => p !== 'view') })).token;
  tokens.none = undefined;
}

beforeAll(async () => {
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'dozen-matrix-')), DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  for (const role of ['owner', 'manage', 'operate', 'deploy', 'view', 'stranger']) await user(`${role}@example.com`);
  const admin = { ...graph.deps, actor: 'admin' };
  await createApp(admin, MATRIX_APP, (await graph.deps.store.findUserByEmail('owner@example.com'))!.id);
  for (const permission of ['manage', 'operate', 'deploy', 'view'] as Permission[]) await grantAccess(graph.deps, MATRIX_APP, `${permission}@example.com`, [permission], false);
  // The stranger owns an app of their own: being a user with apps does not open someone else's.
  await createApp(admin, 'elsewhere', (await graph.deps.store.findUserByEmail('stranger@example.com'))!.id);
});

afterAll(async () => {
  shutdown.abort();
  for (const made of apis) await made.close();
  await graph.runtime.shutdown();
  await graph.store.close();
});

describe('the published table is the contracts, row for row', () => {
  it('lists every route once with the rule its contract declares', () => {
    const declared = [...Object.values(routes), ...Object.values(streamRoutes)];
    expect(published.size).toBe(declared.length);
    for (const [key, rule] of ACCESS_RULES) expect(published.get(key), key).toEqual(rule);
  });
});

describe('every route as every role (acceptance 3)', () => {
  it('answers each role as the table says: allowed, 401, 403 naming the permission, or 404 for an app it cannot see', async () => {
    await mintTokens();
    const mismatches = await checkMatrix(await api(), published, tokens);
    expect(mismatches).toEqual([]);
  }, 120_000);
});

describe('the check fails when a rule is removed or changed (the fixture)', () => {
  it('a route without a rule stops the API from starting, naming it', async () => {
    const removed = new Map(ACCESS_RULES);
    removed.delete('DELETE /apps/:app');
    await expect(api(removed)).rejects.toThrow(/DELETE \/apps\/:app declares no access rule/);
  });

  it('a rule changed in the code (destroy: manage -> view) is reported for that route and no other', async () => {
    await mintTokens();
    const changed = new Map(ACCESS_RULES);
    changed.set('DELETE /apps/:app', { app: 'view' });
    const mismatches = await checkMatrix(await api(changed), published, tokens, (key) => key.startsWith('DELETE /apps/:app') || key === 'GET /apps/:app');
    expect(new Set(mismatches.map((m) => m.route))).toEqual(new Set(['DELETE /apps/:app']));
    expect(new Set(mismatches.map((m) => m.role))).toEqual(new Set(['operate', 'deploy', 'view', 'scoped']));
  }, 60_000);

  it('a row missing from the published table is reported', async () => {
    await mintTokens();
    const table = new Map(published);
    table.delete('POST /apps/:app/builds');
    const mismatches = await checkMatrix(await api(), table, tokens, (key) => key === 'POST /apps/:app/builds');
    expect(mismatches.map((m) => m.message)).toContain('no rule in the table');
  }, 60_000);

  it('the route list the check walks is the contracts\' whole list', () => {
    expect(allRoutes().map((r) => r.key).sort()).toEqual([...ACCESS_RULES.keys()].sort());
  });
});
