import { routes, streamRoutes } from '@dozen/contracts';

/** `METHOD url-pattern` -> the route's name in the contract, for every JSON and stream route. */
const NAMES = new Map<string, string>(
  [...Object.entries(routes), ...Object.entries(streamRoutes)].map(([name, route]) => [`${route.method} ${route.url}`, name]),
);

/** The contract's name of the route Fastify matched (its URL pattern), or undefined for an unknown one. */
export function routeName(method: string, pattern: string | undefined): string | undefined {
  return pattern === undefined ? undefined : NAMES.get(`${method} ${pattern}`);
}

/** Requests that change nothing although their method is not GET (plans, previews, fetches). */
const READS = new Set(['planFormation', 'planDeploy', 'gitUploadPack']);
/** GET routes that do change something: a one-off process starts over the run WebSocket. */
const GET_CHANGES = new Set(['run']);
/** The roles' own traffic (issue 19): the deploy that caused it is what the trail records. */
const INTERNAL = new Set(['putArtefact']);

/** Whether the audit trail records a request to this route (a dry run is not a change either). */
export function isStateChanging(method: string, name: string, query: unknown): boolean {
  if ((query as { dryRun?: unknown } | undefined)?.dryRun === true || (query as { dryRun?: unknown } | undefined)?.dryRun === 'true') return false;
  if (method === 'GET' || method === 'HEAD') return GET_CHANGES.has(name);
  return !READS.has(name) && !INTERNAL.has(name);
}
