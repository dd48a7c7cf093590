import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.js';
import { recordAudit } from '../../core/use-cases/audit.js';
import { actorOf } from './actor.js';
import { redactRequest } from './redact.js';
import { isStateChanging, routeName } from './route-names.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code of a failure, kept for the audit trail. */
    auditFailure?: string | null;
  }
}

/**
 * One hook records every state-changing request in the audit trail once it has been answered:
 * who (token, user), which app, which route, its parameters (redacted), the status and error code,
 * the request id. (What succeeded is told in the app's log stream by the use case itself, which
 * knows what it did: `dozen[api]: ... by who`.) A failure to record is logged and never fails the
 * request, which has already been answered.
 */
export function installAudit(app: FastifyInstance, deps: CoreDeps): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400 && auditedRoute(request) !== undefined) request.auditFailure = errorCodeOf(payload);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const action = auditedRoute(request);
    if (action === undefined) return;
    await record(deps, request, reply, action).catch((error: unknown) => request.log.error({ err: error }, 'could not record the audit event'));
  });
}

function auditedRoute(request: FastifyRequest): string | undefined {
  const name = routeName(request.method, request.routeOptions.url);
  return name !== undefined && isStateChanging(request.method, name, request.query) ? name : undefined;
}

async function record(deps: CoreDeps, request: FastifyRequest, reply: FastifyReply, action: string): Promise<void> {
  await recordRequest(deps, request, action, { status: reply.statusCode, code: request.auditFailure ?? null }, request.body);
}

/**
 * Records one request in the audit trail. The hook calls it for what Fastify answers; a route
 * that answers otherwise (the run WebSocket, whose change is the process it starts) calls it
 * itself, with the body that carried the request (the start message).
 */
export async function recordRequest(deps: CoreDeps, request: FastifyRequest, action: string, result: { status: number; code: string | null }, body: unknown): Promise<void> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  // The app a request is about: its path's, else the one its body names (a new app, a token limited to an app).
  const fields = (body ?? {}) as { name?: unknown; app?: unknown };
  const named = params.app ?? (action === 'createApp' ? fields.name : fields.app);
  await recordAudit(deps, {
    actor: actorOf(request),
    app: typeof named === 'string' ? named : null,
    action,
    method: request.method,
    path: request.url.split('?')[0] ?? '',
    params: redactRequest(action, { params: request.params, query: request.query, body }),
    result,
    requestId: request.id,
    remoteAddress: request.ip,
  });
}

/** The `error.code` of a failure's JSON answer. */
function errorCodeOf(payload: unknown): string | null {
  if (typeof payload !== 'string') return null;
  try {
    return (JSON.parse(payload) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}
