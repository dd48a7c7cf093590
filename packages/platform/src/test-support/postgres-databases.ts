import { startExternalPostgres, type ExternalPostgres } from './external-postgres.js';
import { withClient } from './pg-resource-client.js';

/** One throwaway PostgreSQL server for a test file, and a fresh database on it per call. */
export class PostgresDatabases {
  private server: ExternalPostgres | null = null;
  private count = 0;

  async start(): Promise<void> {
    this.server = await startExternalPostgres({ throwaway: true });
  }

  async fresh(): Promise<string> {
    if (!this.server) throw new Error('PostgresDatabases.start() first');
    this.count += 1;
    const name = `db_${this.count}`;
    await withClient(this.server.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(this.server.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
