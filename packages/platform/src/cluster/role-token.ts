import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries the cluster token (DOZEN_CLUSTER_TOKEN) as a Bearer
 * token: compared in constant time (the sha256 digests of both, of equal length).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return given.length > 0 && timingSafeEqual(digest(given), digest(token));
}
