import type * as Wire from '@dozen/contracts';
import type { App, Token, User } from '../core/model.js';

/** Users and tokens -> wire shapes (never a hash). */
export function toWireUser(user: User): Wire.User {
  return { id: user.id, email: user.email, status: user.passwordHash === null ? 'pending' : 'active', createdAt: user.createdAt };
}

export function toWireToken(token: Token, users: Map<string, User>, apps: Map<string, App>): Wire.ApiToken {
  return {
    id: token.id,
    owner: token.userId === null ? 'admin' : (users.get(token.userId)?.email ?? token.userId),
    description: token.description,
    app: token.appId === null ? null : (apps.get(token.appId)?.name ?? token.appId),
    permissions: token.permissions,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
    lastUsedAt: token.lastUsedAt,
  };
}
