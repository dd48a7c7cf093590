import pg from 'pg';
import { DozenError } from '@dozen/contracts/errors';

export interface SessionOptions {
  /** Reconnect this often after the connection is lost (ms); absent: a lost connection stays lost. */
  reconnectMs?: number;
}

/** Told when the session connection goes (all it held is gone with it) and when a new one is up. */
export interface SessionWatcher {
  lost?(): void;
  restored?(): void;
}

/** The server session of the connection: `pg_backend_pid()` and its start, as pg_stat_activity shows them. */
export interface Backend {
  pid: number;
  start: string;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A process's dedicated session connection to the PostgreSQL store: one `pg.Client` of its own,
 * never one of the pool. Session features live here and only here (session-level advisory locks
 * for the migrations and the leases, LISTEN): a pooled connection may be handed to another query
 * between two of ours, and a pooler in transaction mode (PgBouncer) may even change the server
 * session under one client (docs/scale-out.md). Whatever it holds is released when it closes, or
 * when the process dies and the server drops the connection. With `reconnectMs`, a lost connection
 * is replaced: the channels are listened to again, the watchers told (`lost` at once, `restored`
 * once back); locks are never taken again silently: their owners do it (cluster/pg-leases.ts).
 */
export class SessionConnection {
  private client: pg.Client | null = null;
  private current: Backend | null = null;
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly watchers = new Set<SessionWatcher>();
  private closing = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly options: SessionOptions,
  ) {}

  static async open(url: string, name: string, options: SessionOptions = {}): Promise<SessionConnection> {
    const session = new SessionConnection(url, name, options);
    await session.attach(await connect(url, name));
    return session;
  }

  /** The server session now (null while the connection is down). */
  get backend(): Backend | null {
    return this.current;
  }

  /** The server session now; refuses (STORE_UNREACHABLE) while the connection is down. */
  requireBackend(): Backend {
    if (!this.current) throw storeUnreachable(this.url, new Error('the session connection is down'));
    return this.current;
  }

  /** Until the returned function is called. */
  watch(watcher: SessionWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** LISTENs on `channel` (also again after a reconnection) until the returned function is called. */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    if (!CHANNEL.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
    let set = this.channels.get(channel);
    if (!set) {
      this.channels.set(channel, (set = new Set()));
      await this.query(`LISTEN ${channel}`);
    }
    set.add(onPayload);
    return async () => {
      set.delete(onPayload);
      if (set.size > 0 || this.channels.get(channel) !== set) return;
      this.channels.delete(channel);
      if (this.client) await this.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  /** Runs `fn` holding the session-level advisory lock `key` (waiting for it), released after whatever happens. */
  async withLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    await this.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await this.client?.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    }
  }

  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = this.client;
    if (!client) throw storeUnreachable(this.url, new Error('the session connection is down'));
    try {
      return (await client.query<R>(text, values)).rows;
    } catch (error) {
      throw storeUnreachable(this.url, error);
    }
  }

  /** Drops the connection as if the server had gone (a failed health check): what it held is lost. */
  reset(): void {
    if (this.client) this.drop(this.client);
  }

  /** Ends the connection for good; the watchers are told `lost` (what it held is released). */
  close(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.current = null;
    if (!client) return Promise.resolve();
    for (const watcher of [...this.watchers]) watcher.lost?.();
    return client.end().catch(() => undefined);
  }

  private async attach(client: pg.Client): Promise<void> {
    client.on('notification', (message) => {
      for (const fn of this.channels.get(message.channel) ?? []) fn(message.payload ?? '');
    });
    // A server that goes away emits 'error' (a pending query rejects with it too), then 'end'.
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    try {
      const rows = (await client.query<Backend>('SELECT pid, backend_start::text AS start FROM pg_stat_activity WHERE pid = pg_backend_pid()')).rows;
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
      if (this.closing) throw new Error('the session connection was closed');
      this.client = client;
      this.current = rows[0] ?? null;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw storeUnreachable(this.url, error);
    }
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.current = null;
    void client.end().catch(() => undefined);
    for (const watcher of [...this.watchers]) watcher.lost?.();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.options.reconnectMs === undefined || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.reconnect();
    }, this.options.reconnectMs);
    this.retry.unref();
  }

  private async reconnect(): Promise<void> {
    try {
      const client = await connect(this.url, this.name);
      if (this.closing) return void (await client.end().catch(() => undefined));
      await this.attach(client);
    } catch {
      this.scheduleReconnect();
      return;
    }
    for (const watcher of [...this.watchers]) watcher.restored?.();
  }
}

async function connect(url: string, name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name, connectionTimeoutMillis: 10_000, keepAlive: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw storeUnreachable(url, error);
  }
  return client;
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
