import pg from 'pg';
import { DozenError } from '@dozen/contracts/errors';

/**
 * A process's dedicated session connection to the PostgreSQL store: one `pg.Client` of its own,
 * never one of the pool. Session features live here and only here (session-level advisory locks
 * today, for the migrations; leases and LISTEN later): a pooled connection may be handed to
 * another query between two of ours, and a pooler in transaction mode (PgBouncer) may even change
 * the server session under one client (docs/scale-out.md). Whatever it holds is released when it
 * closes, or when the process dies and the server drops the connection.
 */
export class SessionConnection {
  private constructor(
    private readonly client: pg.Client,
    private readonly url: string,
  ) {}

  static async open(url: string, name: string): Promise<SessionConnection> {
    const client = new pg.Client({ connectionString: url, application_name: name, connectionTimeoutMillis: 10_000 });
    // A server that goes away emits 'error'; the pending query rejects with it anyway.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw storeUnreachable(url, error);
    }
    return new SessionConnection(client, url);
  }

  /** Runs `fn` holding the session-level advisory lock `key` (waiting for it), released after whatever happens. */
  async withLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    await this.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await this.client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    }
  }

  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.client.query<R>(text, values)).rows;
    } catch (error) {
      throw storeUnreachable(this.url, error);
    }
  }

  close(): Promise<void> {
    return this.client.end().catch(() => undefined);
  }
}

/** The server refused, could not be reached or failed a query: said with the URL's password masked. */
export function storeUnreachable(url: string, error: unknown): Error {
  if (error instanceof DozenError) return error;
  const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return new DozenError('STORE_UNREACHABLE', `The PostgreSQL store at DATABASE_URL=${shown} could not be used: ${(error as Error).message}.`, {
    hint: 'Check that the server runs and that the URL (host, port, database, user, password) is right; nothing was changed.',
    cause: error,
  });
}
