import type { ExternalPostgres } from './external-postgres.js';
import { withClient } from './pg-resource-client.js';

let databases = 0;

/** A fresh, empty database on `server` (its URL); open a store on it to migrate it. */
export async function freshClusterDatabase(server: ExternalPostgres, prefix: string): Promise<string> {
  databases += 1;
  const name = `${prefix}_${process.pid}_${databases}`;
  await withClient(server.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Ends a server session as an operator would (`pg_terminate_backend`): its locks and LISTENs go with it. */
export async function terminateBackend(server: ExternalPostgres, pid: number): Promise<void> {
  await withClient(server.adminUrl, (client) => client.query('SELECT pg_terminate_backend($1)', [pid]));
}

/** Polls `check` until it holds (or throws after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
