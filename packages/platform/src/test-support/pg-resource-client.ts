import pg from 'pg';
import type { ResourceClient } from '../addons/addon-conformance.js';

/** Reaches a postgres add-on the way an app would: only with its DATABASE_URL. */
export const pgResourceClient: ResourceClient = {
  async write(url, key, value) {
    await withClient(url, async (client) => {
      await client.query('create table if not exists kv (k text primary key, v text not null)');
      await client.query('insert into kv (k, v) values ($1, $2) on conflict (k) do update set v = excluded.v', [key, value]);
    });
  },
  read: (url, key) => withClient(url, async (client) => ((await client.query('select v from kv where k = $1', [key])).rows[0] as { v: string } | undefined)?.v ?? null),
  async readsOther(url, otherUrl, key) {
    const crossed = new URL(url);
    crossed.pathname = new URL(otherUrl).pathname;
    try {
      return await withClient(crossed.toString(), async (client) => (await client.query('select v from kv where k = $1', [key])).rows.length > 0);
    } catch {
      return false;
    }
  },
  connects: (url) => withClient(url, async (client) => (await client.query('select 1')).rows.length === 1).catch(() => false),
  /** The server must ask for and check a password: a wrong one gets nobody in, not even `postgres`. */
  async anonymousAccess(url) {
    for (const user of [new URL(url).username, 'postgres']) {
      const guess = new URL(url);
      guess.username = user;
      guess.password = 'not-the-password';
      if (await this.connects(guess.toString())) return true;
    }
    return false;
  },
};

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
