import { createHash, randomBytes } from 'node:crypto';
import type { CoreDeps } from '../deps.js';
import type { Token } from '../model.js';

/** Tokens are stored as hashes only; the plain token is shown once, to whoever made it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `dzn_${randomBytes(32).toString('base64url')}`;
}

export async function issueAdminToken(deps: Pick<CoreDeps, 'store' | 'ids' | 'clock'>, token: string): Promise<void> {
  const hash = hashToken(token);
  if (await deps.store.findTokenByHash(hash)) return;
  await deps.store.insertToken({ id: deps.ids.next(), hash, role: 'admin', description: 'admin token', createdAt: deps.clock.now().toISOString() });
}

export async function authenticate(deps: Pick<CoreDeps, 'store'>, token: string): Promise<Token | undefined> {
  if (!/^[\x21-\x7e]{1,512}$/.test(token)) return undefined;
  return deps.store.findTokenByHash(hashToken(token));
}
