import type { PostgresServer } from './postgres-provider.js';

/** A PostgreSQL server run elsewhere (DOZEN_POSTGRES_ADMIN_URL): the platform only creates databases on it. */
export class ExternalPostgres implements PostgresServer {
  readonly kind = 'external';

  constructor(private readonly url: string) {}

  adminUrl(): Promise<string> {
    return Promise.resolve(this.url);
  }
}
