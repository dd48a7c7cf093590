import { DozenClient } from '@dozen/contracts/client';
import { DozenError } from '@dozen/contracts/errors';

/**
 * The dashboard talks to the API only through the contracts' client, like the CLI. No token: the
 * browser sends the HttpOnly session cookie itself; mutating calls carry the session's CSRF token.
 */
export function makeClient(csrfToken?: string | null): DozenClient {
  return new DozenClient({ baseUrl: location.origin, userAgent: 'dozen-dashboard', csrfToken: csrfToken ?? undefined });
}

export interface ShownError {
  code: string;
  message: string;
  hint: string;
}

/** Any failure -> what the page shows: the catalogue's code, the message and its hint. */
export function toShownError(error: unknown): ShownError {
  if (error instanceof DozenError) return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), hint: 'Reload the page; if it persists, the platform log has the details.' };
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof DozenError && error.code === 'UNAUTHORIZED';
}
