import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalPostgres, type ExternalPostgres as TestCluster } from '../../../test-support/external-postgres.js';
import { pgResourceClient, withClient } from '../../../test-support/pg-resource-client.js';
import { addonProviderConformance } from '../../addon-conformance.js';
import { freePort } from '../../../net/free-port.js';
import { ExternalPostgres } from './external-postgres.js';
import { pgConnector } from './pg-session.js';
import { PostgresProvider } from './postgres-provider.js';

// A Debian PostgreSQL started in a temp dir for this file: what DOZEN_POSTGRES_ADMIN_URL points at.
let cluster: TestCluster;
let provider: PostgresProvider;
// The managed-database case (RDS, Cloud SQL, ...): the admin is no superuser, only CREATEDB and CREATEROLE.
let managerProvider: PostgresProvider;
const MANAGER_PASSWORD = 'manager-password';

beforeAll(async () => {
  cluster = await startExternalPostgres();
  provider = new PostgresProvider(new ExternalPostgres(cluster.adminUrl));
  await withClient(cluster.adminUrl, (client) => client.query(`create role manager login password '${MANAGER_PASSWORD}' nosuperuser createdb createrole`));
  const managerUrl = new URL(cluster.adminUrl);
  managerUrl.username = 'manager';
  managerUrl.password = MANAGER_PASSWORD;
  managerProvider = new PostgresProvider(new ExternalPostgres(managerUrl.toString()));
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

addonProviderConformance('postgres (external server by admin URL)', () => ({ provider, client: pgResourceClient }), { issuesCredentials: true });
addonProviderConformance('postgres (external server, admin with CREATEDB and CREATEROLE but no superuser)', () => ({ provider: managerProvider, client: pgResourceClient }), { issuesCredentials: true });

describe('an admin with CREATEDB and CREATEROLE but no superuser', () => {
  it('passes the start check, and makes add-ons PUBLIC cannot connect to or create in', async () => {
    await managerProvider.verify();
    const made = await managerProvider.provision({ addonId: 'managed1', plan: 'dev' });
    await withClient(cluster.adminUrl, async (client) => {
      const { rows } = await client.query(`select rolsuper from pg_roles where rolname = 'manager'`);
      expect(rows).toEqual([{ rolsuper: false }]);
      const [database] = (await client.query(`select datacl::text as acl, pg_get_userbyid(datdba) as owner from pg_database where datname = 'dz_managed1'`)).rows as { acl: string; owner: string }[];
      expect(database?.owner).toBe('dz_managed1');
      // No entry for PUBLIC (`=...`): CONNECT was revoked.
      expect(database?.acl).not.toMatch(/[{,]=/);
    });
    await withClient(made.url, async (client) => {
      const { rows } = await client.query(`select has_schema_privilege('public', 'public', 'CREATE') as public_create`);
      expect(rows).toEqual([{ public_create: false }]);
    });
    await managerProvider.deprovision(made.resource);
  });
});

describe('an external admin URL that cannot do the job', () => {
  it('with too few privileges: a clear error naming what is missing, and nothing made', async () => {
    const weak = new URL(cluster.adminUrl);
    weak.username = 'weakling';
    weak.password = 'weak-password';
    await withClient(cluster.adminUrl, (client) => client.query(`create role weakling login password 'weak-password' createrole`));
    const error = await new PostgresProvider(new ExternalPostgres(weak.toString())).provision({ addonId: 'weak1', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_ADMIN_PRIVILEGES_MISSING' });
    expect((error as Error).message).toContain('lacks CREATEDB');
    expect((error as Error).message).not.toContain('weak-password');
    await withClient(cluster.adminUrl, async (client) => expect((await client.query(`select 1 from pg_roles where rolname = 'dz_weak1'`)).rows).toEqual([]));
  });

  it('that is unreachable: ADDON_SERVICE_UNAVAILABLE at once, naming the server but not the password', async () => {
    const port = await freePort();
    const error = await new PostgresProvider(new ExternalPostgres(`postgres://admin:s3cret-pw@127.0.0.1:${port}/postgres`)).provision({ addonId: 'gone1', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE' });
    expect((error as Error).message).toBe(`Cannot reach PostgreSQL at 127.0.0.1:${port}: ECONNREFUSED.`);
  });

  it('whose server accepts but never answers: ADDON_SERVICE_UNAVAILABLE after the connect timeout, not a hang', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const error = await new PostgresProvider(new ExternalPostgres(`postgres://admin:pw@127.0.0.1:${port}/postgres`), pgConnector(1000)).provision({ addonId: 'mute1', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:\d+: .*timeout/i);
    expect(Date.now() - started).toBeLessThan(5000);
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
});
