import { randomBytes } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { User } from '../model.js';
import type { LoginThrottle } from '../login-throttle.js';
import { assertPasswordStrong, hashPassword, verifyPassword } from '../passwords.js';
import { requireUser } from './access.js';
import { hashToken, issueUserToken } from './tokens.js';

type UserDeps = Pick<CoreDeps, 'store' | 'ids' | 'clock'>;

/** A setup code works once, for this long. */
export const SETUP_CODE_TTL_MS = 24 * 3_600_000;
const EMAIL = /^[^\s@"'<>()\\,;:]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** Compared against when the email is unknown, so that the answer takes as long either way. */
let decoy: Promise<string> | undefined;

export function normaliseEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (!EMAIL.test(normal) || normal.length > 254) throw new DozenError('EMAIL_INVALID', `${JSON.stringify(email.slice(0, 80))} is not an email address.`);
  return normal;
}

/** users:add: a pending user and their one-time setup code (returned once; only its hash is kept). */
export async function addUser(deps: UserDeps, email: string): Promise<{ user: User; setupCode: string }> {
  const normal = normaliseEmail(email);
  if (await deps.store.findUserByEmail(normal)) throw new DozenError('USER_EXISTS', `The user ${normal} already exists.`);
  const setupCode = randomBytes(24).toString('base64url');
  const now = deps.clock.now();
  const user: User = { id: deps.ids.next(), email: normal, passwordHash: null, setupCodeHash: hashToken(setupCode), setupExpiresAt: new Date(now.getTime() + SETUP_CODE_TTL_MS).toISOString(), createdAt: now.toISOString() };
  await deps.store.insertUser(user);
  return { user, setupCode };
}

/** login --setup: the code chooses the password (once), and the user is logged in. */
export async function completeSetup(deps: UserDeps, code: string, password: string): Promise<{ token: string; tokenId: string; user: User }> {
  const user = await deps.store.findUserBySetupCode(hashToken(code));
  const expired = user?.setupExpiresAt !== null && user?.setupExpiresAt !== undefined && Date.parse(user.setupExpiresAt) <= deps.clock.now().getTime();
  if (!user || expired) throw new DozenError('SETUP_CODE_INVALID', expired ? `The setup code expired at ${user?.setupExpiresAt}.` : 'The setup code is not known (it may have been used already).');
  assertPasswordStrong(password);
  await deps.store.updateUser(user.id, { passwordHash: await hashPassword(password), setupCodeHash: null, setupExpiresAt: null });
  return { ...(await issueUserToken(deps, user, 'dozen login --setup')), user };
}

/** login: email and password -> a new token; failures count against the address (LoginThrottle). */
export async function login(deps: UserDeps, throttle: LoginThrottle, address: string, email: string, password: string): Promise<{ token: string; tokenId: string; user: User }> {
  const user = await verifyLogin(deps, throttle, address, email, password);
  return { ...(await issueUserToken(deps, user, 'dozen login')), user };
}

/** The user whose email and password these are, or LOGIN_FAILED (counted against the address). */
export async function verifyLogin(deps: UserDeps, throttle: LoginThrottle, address: string, email: string, password: string): Promise<User> {
  throttle.check(address);
  const user = await deps.store.findUserByEmail(email.trim().toLowerCase());
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
  if (!user || user.passwordHash === null || !ok) {
    throttle.fail(address);
    throw new DozenError('LOGIN_FAILED', `The email or the password is wrong (for ${JSON.stringify(email.slice(0, 80))}).`);
  }
  throttle.succeed(address);
  return user;
}

export function listUsers(deps: Pick<CoreDeps, 'store'>): Promise<User[]> {
  return deps.store.listUsers();
}

/** users:remove: their tokens stop working at once; apps they owned pass to the admin. */
export async function removeUser(deps: Pick<CoreDeps, 'store'>, email: string): Promise<User> {
  const user = await requireUser(deps, email);
  await deps.store.deleteUser(user.id);
  return user;
}
