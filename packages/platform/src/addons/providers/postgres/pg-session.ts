import { DozenError } from '@dozen/contracts/errors';

/** One admin connection: what the provider needs of `pg`, so that tests can inject faults here. */
export interface PgSession {
  query(sql: string): Promise<Record<string, unknown>[]>;
  end(): Promise<void>;
}

/** Opens a session to `database` (default: the admin URL's own) on the server of `adminUrl`. */
export type PgConnect = (adminUrl: string, database?: string) => Promise<PgSession>;

export function pgConnector(timeoutMs = 5000): PgConnect {
  return async (adminUrl, database) => {
    // Loaded on first use: a platform without PostgreSQL add-ons does not carry the driver.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: withDatabase(adminUrl, database), connectionTimeoutMillis: timeoutMs, query_timeout: 60_000, application_name: 'dozen' });
    // A server that goes away mid-session emits 'error'; the pending query rejects with it anyway.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw unreachable(adminUrl, error);
    }
    return {
      query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
      end: () => client.end().catch(() => undefined),
    };
  };
}

/** `pg` lets the connection string win over separate fields, so the database goes into the URL. */
export function withDatabase(url: string, database: string | undefined): string {
  if (database === undefined) return url;
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

/** Where, never with whom: the message names host and port, not the credentials. */
export function serverAddress(adminUrl: string): string {
  try {
    const url = new URL(adminUrl);
    return `${url.hostname}:${url.port || '5432'}`;
  } catch {
    return 'the configured server';
  }
}

function unreachable(adminUrl: string, error: unknown): DozenError {
  const code = (error as { code?: string }).code;
  const where = serverAddress(adminUrl);
  if (code === '28P01' || code === '28000') {
    return new DozenError('ADDON_SERVICE_UNAVAILABLE', `PostgreSQL at ${where} refused the admin login: ${(error as Error).message}.`, { hint: 'Check the user and password in DOZEN_POSTGRES_ADMIN_URL.' });
  }
  const why = code ?? (error as Error).message;
  return new DozenError('ADDON_SERVICE_UNAVAILABLE', `Cannot reach PostgreSQL at ${where}: ${why}.`, { cause: error });
}
