import type { FastifyInstance } from 'fastify';
import { fillPath, routes, streamRoutes, type Access, type Permission } from '@dozen/contracts';

/** Every role the route x role test calls every route as (docs/access.md explains them). */
export const ROLES = ['admin', 'owner', 'manage', 'operate', 'deploy', 'view', 'stranger', 'scoped', 'none'] as const;
export type Role = (typeof ROLES)[number];

/** A scoped token: the owner's, limited to the app with these permissions (view is always included). */
export const SCOPED_PERMISSIONS: readonly Permission[] = ['view', 'deploy'];
export const MATRIX_APP = 'shop';

/** What the table says a role gets on a route: allowed, or which refusal. */
export type Outcome = 'allow' | 'unauthorized' | 'forbidden' | 'not-visible';

export function expectedOutcome(rule: Access, role: Role): Outcome {
  if (rule === 'public') return 'allow';
  if (role === 'none') return 'unauthorized';
  if (rule === 'token') return 'allow';
  if (rule === 'user') return role === 'scoped' ? 'forbidden' : 'allow';
  if (rule === 'admin') return role === 'admin' ? 'allow' : 'forbidden';
  // Only the roles' shared secret opens these: no user's token, the admin's neither.
  if (rule === 'cluster') return 'forbidden';
  if (role === 'admin' || role === 'owner') return 'allow';
  if (role === 'stranger') return 'not-visible';
  const held: readonly Permission[] = role === 'scoped' ? SCOPED_PERMISSIONS : ['view', role];
  return held.includes(rule.app) ? 'allow' : 'forbidden';
}

/** An answer -> the outcome it shows; "allow" is anything but a refusal (the handler may still say 400 or 409). */
export function observedOutcome(status: number, code: string | undefined): Outcome {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 && code === 'APP_NOT_FOUND') return 'not-visible';
  return 'allow';
}

export interface RouteUnderTest {
  key: string;
  method: string;
  url: string;
}

/** Every route of the contracts, logout last (it revokes the token that calls it). */
export function allRoutes(): RouteUnderTest[] {
  const list = [...Object.values(routes), ...Object.values(streamRoutes)].map((r) => ({ key: `${r.method} ${r.url}`, method: r.method, url: r.url }));
  return list.sort((a, b) => Number(a.key === 'DELETE /auth/session') - Number(b.key === 'DELETE /auth/session'));
}

/** Values for path parameters that exist where it matters (the app) and name nothing else, so allowed calls change nothing. */
const PARAMS = { app: MATRIX_APP, backup: 'no-such-backup', build: 'b1', drain: 'd1', addon: 'a1', name: 'NOPE_URL', process: 'web.1', type: 'web', hostname: 'www.example.com', email: 'nobody@example.com', token: 'no-such-token', cert: 'no-such-cert', version: '1', job: 'no-such-job', pipeline: 'no-such-pipeline', slug: 'no-such-slug' };

export interface Mismatch {
  route: string;
  role: Role;
  expected: Outcome;
  got: Outcome;
  status: number;
  message: string;
}

/**
 * Calls every route as every role over real HTTP (the streams answer their head, then the call is
 * cut) and compares with `table` (route key -> rule): the mismatches, none when the API enforces
 * the table.
 */
export async function checkMatrix(api: FastifyInstance, table: ReadonlyMap<string, Access>, tokens: Record<Role, string | undefined>, only?: (key: string) => boolean): Promise<Mismatch[]> {
  const base = await api.listen({ port: 0, host: '127.0.0.1' }).catch(() => `http://127.0.0.1:${(api.server.address() as { port: number }).port}`);
  const mismatches: Mismatch[] = [];
  for (const role of ROLES) {
    for (const route of allRoutes().filter((r) => only?.(r.key) ?? true)) {
      const rule = table.get(route.key);
      const answer = await call(base, route, tokens[role]);
      const expected = rule === undefined ? 'forbidden' : expectedOutcome(rule, role);
      const got = observedOutcome(answer.status, answer.code);
      if (rule === undefined || got !== expected) mismatches.push({ route: route.key, role, expected, got, status: answer.status, message: rule === undefined ? 'no rule in the table' : answer.message });
    }
  }
  return mismatches;
}

async function call(base: string, route: RouteUnderTest, token: string | undefined): Promise<{ status: number; code?: string; message: string }> {
  const stop = new AbortController();
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const init: RequestInit = { method: route.method, headers, signal: stop.signal };
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  const response = await fetch(base + fillPath(route.url, PARAMS), init);
  const json = (response.headers.get('content-type') ?? '').includes('json');
  const body = json ? ((await response.json()) as { error?: { code: string; message: string } }) : (stop.abort(), {});
  return { status: response.status, ...(body.error ? { code: body.error.code } : {}), message: body.error?.message ?? '' };
}

/** The published table: docs/access.md's rows `| METHOD | `url` | rule | ... |` -> route key -> rule. */
export function parseAccessTable(markdown: string): Map<string, Access> {
  const table = new Map<string, Access>();
  for (const match of markdown.matchAll(/^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \| (\w+) \|/gm)) {
    const [, method, url, rule] = match as unknown as [string, string, string, string];
    table.set(`${method} ${url}`, ['public', 'token', 'user', 'admin', 'cluster'].includes(rule) ? (rule as Access) : { app: rule as Permission });
  }
  return table;
}
