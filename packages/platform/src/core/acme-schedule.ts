/** When automatic certificates are renewed and failed orders retried (pure). */

/** The longest wait between two attempts for a failing domain. */
export const MAX_RETRY_MS = 6 * 3600 * 1000;

/** Renewal when a third of the certificate's lifetime is left (Let's Encrypt's advice: day 60 of 90). */
export function renewAt(notBefore: string, notAfter: string): string {
  const start = Date.parse(notBefore);
  const end = Date.parse(notAfter);
  return new Date(end - (end - start) / 3).toISOString();
}

/** The wait after `failures` failed attempts in a row: base, 2x, 4x ... up to MAX_RETRY_MS. */
export function retryDelay(failures: number, baseMs: number): number {
  return Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
}
