import { DozenError } from '@dozen/contracts/errors';
import type { AddonResource } from '../../../core/model.js';
import type { AddonProvider, ProvisionedAddon, ProvisionRequest } from '../../../core/ports/addons.js';
import { newPassword, resourceName } from '../../secrets.js';
import { serverFor, type AddonServer } from '../../server-choice.js';
import { assertAdminPrivileges, serverVersion } from './admin-checks.js';
import { pgConnector, serverAddress, withDatabase, type PgConnect, type PgSession } from './pg-session.js';
import { provisionSteps, runSteps } from './provision-steps.js';
import { quoteIdent, quoteLiteral } from './sql-quote.js';

/** Where the add-on databases live: the embedded server or one given by DOZEN_POSTGRES_ADMIN_URL. */
export interface PostgresServer extends AddonServer {
  /** A superuser (or CREATEDB + CREATEROLE) URL; starts the embedded server on first use. */
  adminUrl(): Promise<string>;
  /** `embedded` or `external`, for `addons:info`. */
  readonly kind: string;
}

/** Plans differ by how many connections the add-on's role may hold. */
const PLANS: Record<string, number> = { dev: 20, standard: 60 };

/**
 * Each add-on is a database and a role of its own with a random password. CONNECT on the
 * database is revoked from PUBLIC, so no other add-on's role can open it.
 */
export class PostgresProvider implements AddonProvider {
  readonly name = 'postgres';
  readonly plans = Object.keys(PLANS);
  readonly defaultConfigVar = 'DATABASE_URL';

  /** `others`: servers that still hold add-ons made before (the embedded one after an admin URL was set). */
  constructor(
    private readonly server: PostgresServer,
    private readonly connect: PgConnect = pgConnector(),
    private readonly others: readonly PostgresServer[] = [],
  ) {}

  /** Reachable, and allowed to create databases and roles (checked at platform start). */
  async verify(): Promise<void> {
    const adminUrl = await this.server.adminUrl();
    await this.withSession(adminUrl, undefined, (session) => assertAdminPrivileges(session, serverAddress(adminUrl)));
  }

  async provision(request: ProvisionRequest): Promise<ProvisionedAddon> {
    const name = resourceName(request.addonId);
    const password = newPassword();
    const adminUrl = await this.server.adminUrl();
    await this.withSession(adminUrl, undefined, async (session) => {
      await assertAdminPrivileges(session, serverAddress(adminUrl));
      await runSteps(provisionSteps(session, name, password, PLANS[request.plan] ?? 20, (database) => this.connect(adminUrl, database)));
    });
    return { url: appUrl(adminUrl, name, password), resource: { database: name, role: name, server: this.server.id } };
  }

  async deprovision(resource: AddonResource): Promise<void> {
    const adminUrl = await this.serverOf(resource).adminUrl();
    const { database, role } = handle(resource);
    await this.withSession(adminUrl, undefined, async (session) => {
      const exists = await session.query(`select 1 from pg_roles where rolname = ${quoteLiteral(role)}`);
      // No new sessions, then end the open ones, then drop: a busy database cannot be dropped.
      if (exists.length > 0) await session.query(`alter role ${quoteIdent(role)} nologin`);
      await session.query(`select pg_terminate_backend(pid) from pg_stat_activity where (datname = ${quoteLiteral(database)} or usename = ${quoteLiteral(role)}) and pid <> pg_backend_pid()`);
      await session.query(`drop database if exists ${quoteIdent(database)}`);
      await session.query(`drop role if exists ${quoteIdent(role)}`);
    });
  }

  async info(resource: AddonResource): Promise<Record<string, string>> {
    const server = this.serverOf(resource);
    const adminUrl = await server.adminUrl();
    const { database, role } = handle(resource);
    return this.withSession(adminUrl, undefined, async (session) => {
      const name = quoteLiteral(database);
      const [size] = await session.query(`select pg_size_pretty(pg_database_size(${name})) as size, (select count(*) from pg_stat_activity where datname = ${name})::int as connections, (select rolconnlimit from pg_roles where rolname = ${quoteLiteral(role)}) as limit`);
      return {
        server: `${server.kind} PostgreSQL ${await serverVersion(session)} at ${serverAddress(adminUrl)}`,
        database,
        'data size': String(size?.size),
        connections: `${size?.connections} of ${size?.limit}`,
      };
    });
  }

  async rotateCredentials(resource: AddonResource): Promise<ProvisionedAddon> {
    const { database, role } = handle(resource);
    const adminUrl = await this.serverOf(resource).adminUrl();
    const password = newPassword();
    await this.withSession(adminUrl, undefined, (session) => session.query(`alter role ${quoteIdent(role)} password ${quoteLiteral(password)}`));
    return { url: appUrl(adminUrl, database, password, role), resource };
  }

  private serverOf(resource: AddonResource): PostgresServer {
    return serverFor(resource, this.server, this.others, 'postgres', 'DOZEN_POSTGRES_ADMIN_URL');
  }

  private async withSession<T>(adminUrl: string, database: string | undefined, fn: (session: PgSession) => Promise<T>): Promise<T> {
    const session = await this.connect(adminUrl, database);
    try {
      return await fn(session);
    } catch (error) {
      if (error instanceof DozenError) throw error;
      const where = serverAddress(adminUrl);
      if ((error as { code?: string }).code === '42501') throw new DozenError('ADDON_ADMIN_PRIVILEGES_MISSING', `The admin role on PostgreSQL at ${where} may not do this: ${(error as Error).message}.`);
      throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `PostgreSQL at ${where} failed: ${(error as Error).message}.`, { cause: error });
    } finally {
      await session.end();
    }
  }
}

function handle(resource: AddonResource): { database: string; role: string } {
  const { database, role } = resource;
  if (!database || !role) throw new DozenError('INTERNAL', `A postgres add-on record lacks its database or role: ${JSON.stringify(Object.keys(resource))}.`);
  return { database, role };
}

/** The app's URL: the admin URL's server and options, the add-on's role, password and database. */
function appUrl(adminUrl: string, database: string, password: string, role = database): string {
  const url = new URL(withDatabase(adminUrl, database));
  url.username = role;
  url.password = password;
  if (url.protocol === 'postgresql:') return `postgres:${url.toString().slice('postgresql:'.length)}`;
  return url.toString();
}
