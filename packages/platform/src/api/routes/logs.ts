import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { routes, streamRoutes, TailQuery } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { followLogs, logStats, readLogs } from '../../core/use-cases/logs.js';
import { jsonRoute } from '../json-route.js';
import { toWireLogLine, toWireLogStats } from '../wire.js';

const HEARTBEAT_MS = 15_000;
/** Past this much unsent output the tail stops reading the history until the client catches up. */
const HIGH_WATER_BYTES = 256 * 1024;
/** A client that reads nothing for this long is cut off. */
const STALLED_MS = 60_000;

export function logRoutes(app: FastifyInstance, deps: CoreDeps, shutdown: AbortSignal): void {
  jsonRoute(app, routes.getLogs, async ({ params, query }) => {
    const records = await readLogs(deps, params.app, query.lines ?? (query.since === undefined ? 100 : 1500), query);
    return records.map(toWireLogLine);
  });

  jsonRoute(app, routes.getLogStats, async ({ params }) => toWireLogStats(await logStats(deps, params.app)));

  app.get<{ Params: { app: string }; Querystring: Static<typeof TailQuery> }>(streamRoutes.tailLogs.url, { schema: { querystring: TailQuery } }, async (request, reply) => {
    const lastEventId = request.headers['last-event-id'];
    const after = typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
    const stop = new AbortController();
    const { lines, ...filter } = request.query;
    const items = await followLogs(deps, request.params.app, { ...filter, lines: lines ?? 100, after, signal: stop.signal });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const end = () => stop.abort();
    shutdown.addEventListener('abort', end);
    res.on('close', end);
    // Only an idle connection needs a heartbeat; a blocked one must not grow its buffer.
    const heartbeat = setInterval(() => res.writableLength === 0 && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    try {
      for await (const item of items) {
        if (item.kind === 'line') res.write(`id: ${item.record.id}\nevent: line\ndata: ${JSON.stringify(toWireLogLine(item.record))}\n\n`);
        else res.write(`event: notice\ndata: ${JSON.stringify({ message: item.message })}\n\n`);
        if (res.writableLength > HIGH_WATER_BYTES && !(await drained(res, stop.signal))) {
          res.destroy();
          break;
        }
      }
    } finally {
      clearInterval(heartbeat);
      shutdown.removeEventListener('abort', end);
      res.end();
    }
  });
}

/** Resolves true once the client has read what was sent, false if it stalls or goes away. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), STALLED_MS);
    res.on('drain', onDrain);
    signal.addEventListener('abort', onAbort);
  });
}
