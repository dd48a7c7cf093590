import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../core/model.js';

/** Who made the request, as the audit trail and the log lines name them (the authorization hook's principal). */
export function actorOf(request: FastifyRequest): AuditActor {
  const principal = request.principal;
  if (!principal) return { tokenId: null, userId: null, label: 'anonymous' };
  return { tokenId: principal.tokenId, userId: principal.userId, label: principal.label };
}
