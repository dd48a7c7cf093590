import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Tokens that open one slug: `dzslug_<slug id>.<HMAC-SHA256(key, "slug:" + slug id), base64url>`. The one
 * claim is the slug id; nothing else (no app, no API) is reachable with it, and no state is kept:
 * the key in the data dir checks it. It does not expire: a Deployment may start a pod of its
 * release at any time (docs/decisions.md).
 */
const PREFIX = 'dzslug_';

export function mintSlugToken(key: Buffer, slugId: string): string {
  return `${PREFIX}${slugId}.${mac(key, slugId)}`;
}

/** The slug id the token opens, or null when it is not one of ours. */
export function slugOfToken(key: Buffer, token: string): string | null {
  if (!token.startsWith(PREFIX)) return null;
  const rest = token.slice(PREFIX.length);
  // base64url has no dot (it has `_`), nor have slug ids (UUIDs).
  const cut = rest.lastIndexOf('.');
  if (cut <= 0) return null;
  const slugId = rest.slice(0, cut);
  const given = Buffer.from(rest.slice(cut + 1));
  const expected = Buffer.from(mac(key, slugId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? slugId : null;
}

/** The key in `file` (made on first use, readable by the platform's user only). */
export function slugTokenKey(file: string): Buffer {
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch {
    const key = randomBytes(32);
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  }
}

function mac(key: Buffer, slugId: string): string {
  return createHmac('sha256', key).update(`slug:${slugId}`).digest('base64url');
}
