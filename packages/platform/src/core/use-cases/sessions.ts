import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { Principal, Token } from '../model.js';
import { authenticate, generateToken, hashToken, newToken } from './tokens.js';
import { verifyLogin } from './users.js';

type SessionDeps = Pick<CoreDeps, 'store' | 'ids' | 'clock'>;

/** A dashboard session lasts this long from sign-in (then: sign in again). */
export const SESSION_TTL_MS = 12 * 3_600_000;
export const SESSION_DESCRIPTION = 'dashboard session';

export interface SessionLogin {
  email?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
}

export interface OpenedSession {
  /** The cookie's value: shown once; the store keeps its hash, like a token's. */
  secret: string;
  session: Token;
  principal: Principal;
}

/**
 * Sign-in for the browser: email and password, or an API token (the admin's token login). The
 * session is a token record of its own (hashed, expiring, revocable) with exactly the rights of
 * the account or token that opened it, never more.
 */
export async function openSession(deps: SessionDeps, throttle: LoginThrottle, address: string, login: SessionLogin): Promise<OpenedSession> {
  const byPassword = login.email !== undefined || login.password !== undefined;
  if (byPassword === (login.token !== undefined) || (byPassword && (login.email === undefined || login.password === undefined))) {
    throw new DozenError('SESSION_LOGIN_INVALID', 'Sign-in takes an email with a password, or a token alone.');
  }
  const now = deps.clock.now().getTime();
  let fields: Pick<Token, 'role' | 'userId' | 'appId' | 'permissions'> & { expiresAt: number };
  if (login.token !== undefined) {
    const from = await authenticateCounted(deps, throttle, address, login.token);
    const token = await deps.store.findToken(from.tokenId);
    const expires = token?.expiresAt ? Math.min(Date.parse(token.expiresAt), now + SESSION_TTL_MS) : now + SESSION_TTL_MS;
    fields = { role: from.admin ? 'admin' : 'user', userId: from.userId, appId: from.appId, permissions: from.permissions, expiresAt: expires };
  } else {
    const user = await verifyLogin(deps, throttle, address, login.email!, login.password!);
    fields = { role: 'user', userId: user.id, appId: null, permissions: null, expiresAt: now + SESSION_TTL_MS };
  }
  const secret = generateToken();
  const session = newToken(deps, hashToken(secret), { ...fields, description: SESSION_DESCRIPTION, expiresAt: new Date(fields.expiresAt).toISOString() });
  await deps.store.insertToken(session);
  return { secret, session, principal: await authenticate(deps, secret) };
}

/** A wrong token counts against the address like a wrong password. */
async function authenticateCounted(deps: SessionDeps, throttle: LoginThrottle, address: string, token: string): Promise<Principal> {
  throttle.check(address);
  try {
    const principal = await authenticate(deps, token);
    throttle.succeed(address);
    return principal;
  } catch (error) {
    throttle.fail(address);
    throw error;
  }
}

/** The session's expiry (null: the caller is not a session). */
export async function sessionExpiry(deps: Pick<CoreDeps, 'store'>, principal: Principal): Promise<string | null> {
  const token = await deps.store.findToken(principal.tokenId);
  return token?.description === SESSION_DESCRIPTION ? token.expiresAt : null;
}
