import { serverAddress } from './pg-session.js';
import type { PostgresServer } from './postgres-provider.js';

/** A PostgreSQL server run elsewhere (DOZEN_POSTGRES_ADMIN_URL): the platform only creates databases on it. */
export class ExternalPostgres implements PostgresServer {
  readonly kind = 'external';
  readonly id: string;

  constructor(private readonly url: string) {
    this.id = `external ${serverAddress(url)}`;
  }

  adminUrl(): Promise<string> {
    return Promise.resolve(this.url);
  }
}
