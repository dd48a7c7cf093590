import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../core/model.js';

/** Who made the request, as the audit trail and the log lines name them. */
export function actorOf(request: FastifyRequest): AuditActor {
  const token = request.token;
  if (!token) return { tokenId: null, userId: null, label: 'anonymous' };
  return { tokenId: token.id, userId: null, label: token.role === 'admin' ? 'admin' : token.description };
}
