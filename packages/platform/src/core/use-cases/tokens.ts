import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { Principal, Token, User } from '../model.js';
import { parsePermissions } from '../permissions.js';
import { permissionsOn } from './access.js';
import { requireApp } from './require-app.js';

type TokenDeps = Pick<CoreDeps, 'store' | 'ids' | 'clock'>;

/** The description of the host's admin token (the data dir's file): it cannot be revoked through the API. */
export const ADMIN_TOKEN_DESCRIPTION = 'admin token';
/** last_used_at is written at most this often per token. */
const TOUCH_EVERY_MS = 60_000;
const MAX_EXPIRY_DAYS = 365;

/** Tokens are stored as hashes only; the plain token is shown once, to whoever made it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `dzn_${randomBytes(32).toString('base64url')}`;
}

export async function issueAdminToken(deps: TokenDeps, token: string): Promise<void> {
  const hash = hashToken(token);
  if (await deps.store.findTokenByHash(hash)) return;
  await deps.store.insertToken(newToken(deps, hash, { role: 'admin', userId: null, description: ADMIN_TOKEN_DESCRIPTION }));
}

/** A token of `user` (null: the admin) with no limits but those given. */
export function newToken(deps: Pick<CoreDeps, 'ids' | 'clock'>, hash: string, fields: Pick<Token, 'role' | 'userId' | 'description'> & Partial<Token>): Token {
  return { id: deps.ids.next(), hash, createdAt: deps.clock.now().toISOString(), appId: null, permissions: null, expiresAt: null, revokedAt: null, lastUsedAt: null, ...fields };
}

/** A session token for a user who just logged in or set their password; the plain token is returned once. */
export async function issueUserToken(deps: TokenDeps, user: User, description: string): Promise<{ token: string; tokenId: string }> {
  const token = generateToken();
  const made = newToken(deps, hashToken(token), { role: 'user', userId: user.id, description });
  await deps.store.insertToken(made);
  return { token, tokenId: made.id };
}

/** The presented token -> who is calling, or UNAUTHORIZED with the reason (unknown, revoked, expired, user removed). */
export async function authenticate(deps: TokenDeps, presented: string): Promise<Principal> {
  const refused = (message: string) => new DozenError('UNAUTHORIZED', message);
  if (!/^[\x21-\x7e]{1,512}$/.test(presented)) throw refused('The API token was not accepted.');
  const hash = hashToken(presented);
  const token = await deps.store.findTokenByHash(hash);
  if (!token || !timingSafeEqual(Buffer.from(token.hash, 'hex'), Buffer.from(hash, 'hex'))) throw refused('The API token was not accepted.');
  const now = deps.clock.now();
  if (token.revokedAt !== null) throw refused(`The token ${token.id} was revoked at ${token.revokedAt}.`);
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) throw refused(`The token ${token.id} expired at ${token.expiresAt}.`);
  const user = token.userId === null ? undefined : await deps.store.findUserById(token.userId);
  if (token.userId !== null && !user) throw refused(`The token ${token.id} belonged to a user who was removed.`);
  if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) > TOUCH_EVERY_MS) await deps.store.touchToken(token.id, now.toISOString());
  return { tokenId: token.id, userId: token.userId, label: user?.email ?? 'admin', admin: token.userId === null && token.role === 'admin', appId: token.appId, permissions: token.permissions };
}

export interface TokenRequest {
  app?: string | undefined;
  permissions?: string[] | undefined;
  expiresIn?: string | undefined;
  description?: string | undefined;
}

/** A new token of the caller; never more than the caller may do now (and checked again at each use). */
export async function createToken(deps: CoreDeps, caller: Principal, request: TokenRequest): Promise<{ token: string; made: Token }> {
  const permissions = request.permissions === undefined ? null : parsePermissions(request.permissions);
  if (request.description === ADMIN_TOKEN_DESCRIPTION) throw new DozenError('INVALID_REQUEST', `The description ${JSON.stringify(ADMIN_TOKEN_DESCRIPTION)} is kept for the host's own admin token; choose another.`);
  let appId: string | null = null;
  if (request.app !== undefined) {
    const app = await requireApp(deps, request.app);
    const held = await permissionsOn(deps, caller, app);
    if (held.length === 0) throw new DozenError('APP_NOT_FOUND', `There is no app named ${app.name}.`);
    const missing = (permissions ?? []).filter((p) => !held.includes(p));
    if (missing.length > 0) throw new DozenError('PERMISSION_DENIED', `${caller.label} lacks the ${missing.join(', ')} permission on ${app.name}: a token cannot have more than its owner.`);
    appId = app.id;
  }
  const token = generateToken();
  const made = newToken(deps, hashToken(token), {
    role: caller.admin ? 'admin' : 'user',
    userId: caller.userId,
    description: request.description ?? `created by ${caller.label}`,
    appId,
    permissions,
    expiresAt: request.expiresIn === undefined ? null : new Date(deps.clock.now().getTime() + parseExpiry(request.expiresIn)).toISOString(),
  });
  await deps.store.insertToken(made);
  return { token, made };
}

/** `30m`, `12h`, `30d` -> milliseconds (at most a year). */
export function parseExpiry(text: string): number {
  const match = /^(\d{1,6})([mhd])$/.exec(text);
  const ms = match ? Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'] : 0;
  if (ms <= 0 || ms > MAX_EXPIRY_DAYS * 86_400_000) throw new DozenError('TOKEN_EXPIRY_INVALID', `--expires-in ${JSON.stringify(text.slice(0, 40))} is not a duration from 1m to ${MAX_EXPIRY_DAYS}d.`);
  return ms;
}

/** The caller's tokens; the admin sees every token. */
export function listTokens(deps: Pick<CoreDeps, 'store'>, caller: Principal): Promise<Token[]> {
  return deps.store.listTokens(caller.admin ? undefined : caller.userId);
}

/** Revokes a token of the caller (the admin: any token but the host's own). Refused at once from then on. */
export async function revokeToken(deps: Pick<CoreDeps, 'store' | 'clock'>, caller: Principal, tokenId: string): Promise<Token> {
  const token = await deps.store.findToken(tokenId);
  if (!token || (!caller.admin && token.userId !== caller.userId)) throw new DozenError('TOKEN_NOT_FOUND', `There is no token ${tokenId} of ${caller.label}.`);
  if (token.userId === null && token.description === ADMIN_TOKEN_DESCRIPTION && token.role === 'admin') {
    throw new DozenError('INVALID_REQUEST', `The token ${tokenId} is the host's admin token (in the data dir): it cannot be revoked through the API.`, { hint: 'Replace the admin-token file in the data dir and restart the platform to change it.' });
  }
  const at = token.revokedAt ?? deps.clock.now().toISOString();
  if (token.revokedAt === null) await deps.store.revokeToken(tokenId, at);
  return { ...token, revokedAt: at };
}
