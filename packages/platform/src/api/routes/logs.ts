import type { FastifyInstance } from 'fastify';
import { routes, streamRoutes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { LogRecord } from '../../core/model.js';
import { requireApp } from '../../core/use-cases/apps.js';
import { jsonRoute } from '../json-route.js';
import { toWireLogLine } from '../wire.js';

const HEARTBEAT_MS = 15_000;
/** A tail client this far behind is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function logRoutes(app: FastifyInstance, deps: CoreDeps, shutdown: AbortSignal): void {
  jsonRoute(app, routes.getLogs, async ({ params, query }) => {
    await requireApp(deps, params.app);
    return deps.logs.recent(params.app, query.lines ?? 100).map(toWireLogLine);
  });

  app.get<{ Params: { app: string }; Querystring: { lines?: string } }>(streamRoutes.tailLogs.url, async (request, reply) => {
    const name = request.params.app;
    await requireApp(deps, name);
    const lines = Math.min(10_000, Math.max(0, Number(request.query.lines ?? 100) || 0));
    const after = Number(request.headers['last-event-id'] ?? 0) || 0;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    const send = (record: LogRecord) => {
      res.write(`id: ${record.id}\nevent: line\ndata: ${JSON.stringify(toWireLogLine(record))}\n\n`);
      if (res.writableLength > MAX_BUFFERED_BYTES) close();
    };
    const backlog = deps.logs.recent(name, lines).filter((r) => Number(r.id) > after);
    for (const record of backlog) send(record);
    const unsubscribe = deps.logs.subscribe(name, send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      unsubscribe();
      clearInterval(heartbeat);
      shutdown.removeEventListener('abort', close);
      res.end();
    };
    shutdown.addEventListener('abort', close);
    res.on('close', close);
  });
}
