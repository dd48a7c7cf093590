import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';

/** The one password rule, stated in PASSWORD_WEAK's message. */
export const PASSWORD_MIN_LENGTH = 12;
const KEY_LENGTH = 64;
/** scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, ~50 ms): OWASP's recommended minimum or above. */
const COST = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function assertPasswordStrong(password: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw new DozenError('PASSWORD_WEAK', `The password is too short (${[...password].length} characters): it needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
}

/** `scrypt$N$r$p$salt$key` (base64url), a fresh 16-byte salt per password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST.N, COST.r, COST.p);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: COST.maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
