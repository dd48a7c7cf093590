import { beforeEach, describe, expect, it } from 'vitest';
import type { DozenError } from '@dozen/contracts/errors';
import { openSqliteStore } from '../../store/sqlite.js';
import { testSecrets } from '../../test-support/sealer.js';
import type { CoreDeps } from '../deps.js';
import type { Principal } from '../model.js';
import { LoginThrottle } from '../login-throttle.js';
import { grantAccess } from './access.js';
import { authenticate, createToken, revokeToken } from './tokens.js';
import { addUser, completeSetup, login } from './users.js';

/** Tokens and accounts over a real (in-memory) store with a held clock. */
let now = Date.parse('2026-03-01T12:00:00Z');
let deps: Pick<CoreDeps, 'store' | 'ids' | 'clock'>;
let seq = 0;

const failure = async (promise: Promise<unknown>): Promise<DozenError> => {
  try {
    await promise;
  } catch (error) {
    return error as DozenError;
  }
  throw new Error('expected a failure');
};

async function userWithToken(email: string): Promise<{ token: string; principal: Principal }> {
  const { setupCode } = await addUser(deps, email);
  const { token } = await completeSetup(deps, setupCode, 'correct horse battery');
  return { token, principal: await authenticate(deps, token) };
}

beforeEach(async () => {
  now = Date.parse('2026-03-01T12:00:00Z');
  deps = { store: await openSqliteStore(':memory:', testSecrets()), ids: { next: () => `id${++seq}` }, clock: { now: () => new Date(now), after: () => () => undefined } };
  await deps.store.insertApp({ id: 'app-shop', name: 'shop', createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
});

describe('tokens', () => {
  it('an expired token is refused with 401 naming the time; one not yet expired works', async () => {
    const { principal } = await userWithToken('ada@example.com');
    await deps.store.setAppOwner('app-shop', principal.userId);
    const { token, made } = await createToken(deps as CoreDeps, principal, { expiresIn: '30m' });
    expect((await authenticate(deps, token)).tokenId).toBe(made.id);
    now += 30 * 60_000;
    const error = await failure(authenticate(deps, token));
    expect([error.code, error.status]).toEqual(['UNAUTHORIZED', 401]);
    expect(error.message).toBe(`The token ${made.id} expired at 2026-03-01T12:30:00.000Z.`);
  });

  it('a revoked token is refused at once, with the reason', async () => {
    const { principal } = await userWithToken('ada@example.com');
    const { token, made } = await createToken(deps as CoreDeps, principal, {});
    await revokeToken(deps, principal, made.id);
    expect((await failure(authenticate(deps, token))).message).toMatch(new RegExp(`^The token ${made.id} was revoked at `));
  });

  it("another user's token cannot be revoked (it is not there for them)", async () => {
    const ada = await userWithToken('ada@example.com');
    const bob = await userWithToken('bob@example.com');
    expect((await failure(revokeToken(deps, bob.principal, ada.principal.tokenId))).code).toBe('TOKEN_NOT_FOUND');
    expect((await authenticate(deps, ada.token)).label).toBe('ada@example.com');
  });

  it('a token never exceeds its owner: not at creation, and not later when the owner loses access', async () => {
    const bob = await userWithToken('bob@example.com');
    await grantAccess(deps, 'shop', 'bob@example.com', ['deploy'], false);
    expect((await failure(createToken(deps as CoreDeps, bob.principal, { app: 'shop', permissions: ['manage'] }))).code).toBe('PERMISSION_DENIED');
    expect((await failure(createToken(deps as CoreDeps, bob.principal, { permissions: ['nope'] }))).message).toMatch(/view, deploy, operate, manage/);
    const { token } = await createToken(deps as CoreDeps, bob.principal, { app: 'shop', permissions: ['deploy'] });
    const scoped = await authenticate(deps, token);
    const { authorizeApp } = await import('./access.js');
    await expect(authorizeApp(deps, scoped, 'shop', 'deploy')).resolves.toMatchObject({ name: 'shop' });
    await deps.store.deleteAppAccess('app-shop', bob.principal.userId!);
    expect((await failure(authorizeApp(deps, scoped, 'shop', 'deploy'))).code).toBe('APP_NOT_FOUND');
  });

  it('a bad --expires-in is refused with the rule', async () => {
    const { principal } = await userWithToken('ada@example.com');
    for (const text of ['0d', '30', '1y', '366d']) expect((await failure(createToken(deps as CoreDeps, principal, { expiresIn: text }))).code, text).toBe('TOKEN_EXPIRY_INVALID');
  });
});

describe('accounts', () => {
  it('a setup code works once and expires; the password rule is stated', async () => {
    const { setupCode } = await addUser(deps, 'Ada@Example.com');
    expect((await failure(completeSetup(deps, setupCode, 'short'))).message).toMatch(/at least 12 characters/);
    await completeSetup(deps, setupCode, 'correct horse battery');
    expect((await failure(completeSetup(deps, setupCode, 'correct horse battery'))).code).toBe('SETUP_CODE_INVALID');
    const late = await addUser(deps, 'bob@example.com');
    now += 24 * 3_600_000;
    expect((await failure(completeSetup(deps, late.setupCode, 'correct horse battery'))).message).toMatch(/expired/);
  });

  it('login: the right password gives a token of that user; wrong ones count against the address', async () => {
    const { setupCode } = await addUser(deps, 'ada@example.com');
    await completeSetup(deps, setupCode, 'correct horse battery');
    const throttle = new LoginThrottle(deps.clock);
    const session = await login(deps, throttle, '10.0.0.1', 'ADA@example.com', 'correct horse battery');
    expect((await authenticate(deps, session.token)).label).toBe('ada@example.com');
    for (let i = 0; i < 5; i++) expect((await failure(login(deps, throttle, '10.0.0.1', 'ada@example.com', 'wrong'))).code).toBe('LOGIN_FAILED');
    expect((await failure(login(deps, throttle, '10.0.0.1', 'ada@example.com', 'correct horse battery'))).code).toBe('LOGIN_RATE_LIMITED');
    expect((await failure(login(deps, throttle, '10.0.0.2', 'nobody@example.com', 'x'))).code).toBe('LOGIN_FAILED');
  });

  it('bad input: an email that is not one, a user who exists, a user who does not', async () => {
    expect((await failure(addUser(deps, 'not an email'))).code).toBe('EMAIL_INVALID');
    await addUser(deps, 'ada@example.com');
    expect((await failure(addUser(deps, 'ADA@example.com'))).code).toBe('USER_EXISTS');
    expect((await failure(grantAccess(deps, 'shop', 'nobody@example.com', ['view'], false))).message).toBe('There is no user nobody@example.com.');
  });
});
