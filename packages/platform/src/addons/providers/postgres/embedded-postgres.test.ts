import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgResourceClient, withClient } from '../../../test-support/pg-resource-client.js';
import { addonProviderConformance } from '../../addon-conformance.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { pgConnector, type PgConnect } from './pg-session.js';
import { PostgresProvider } from './postgres-provider.js';

// One embedded server for the whole file: initdb and start happen once.
let dataDir: string;
let server: EmbeddedPostgres;
let provider: PostgresProvider;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dozen-embedded-pg-'));
  server = new EmbeddedPostgres({ addonsDir: join(dataDir, 'addons'), dataDir, log: (level, message) => logs.push(`${level} ${message}`) });
  provider = new PostgresProvider(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

addonProviderConformance('postgres (embedded server)', () => ({ provider, client: pgResourceClient }), { issuesCredentials: true });

describe('the embedded PostgreSQL server', () => {
  it("keeps add-on roles out of the cluster's own databases (postgres, template1), not only out of each other's", async () => {
    const made = await provider.provision({ addonId: 'lockdown-check', plan: provider.plans[0] as string });
    try {
      for (const database of ['postgres', 'template1']) {
        const url = new URL(made.url);
        url.pathname = `/${database}`;
        await expect(withClient(url.toString(), (client) => client.query('select 1')), database).rejects.toMatchObject({ code: '42501' });
      }
      await withClient(made.url, async (client) => expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]));
    } finally {
      await provider.deprovision(made.resource);
    }
  });

  it('listens on 127.0.0.1 only, with no unix socket, as the postgres user when the platform is root', async () => {
    const adminUrl = await server.adminUrl();
    expect(new URL(adminUrl).hostname).toBe('127.0.0.1');
    await withClient(adminUrl, async (client) => {
      expect((await client.query('show listen_addresses')).rows[0]).toEqual({ listen_addresses: '127.0.0.1' });
      expect((await client.query('show unix_socket_directories')).rows[0]).toEqual({ unix_socket_directories: '' });
    });
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    if (process.getuid?.() === 0) expect(uid).not.toBe(0);
    // Its port and superuser password are kept for the next start, readable by the platform only.
    expect(statSync(join(dataDir, 'addons', 'postgres.json')).mode & 0o777).toBe(0o600);
  });

  it('never writes a statement (they carry passwords) to its log, which goes to the platform log', async () => {
    await expect(provider.rotateCredentials({ database: 'dz_missing', role: 'dz_missing' })).rejects.toThrow(/does not exist/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logs.join('\n')).toMatch(/role "dz_missing" does not exist/);
    expect(logs.join('\n')).not.toMatch(/password '/i);
  });

  it('is restarted when killed behind the platform\'s back, and clients reconnect', async () => {
    const made = await provider.provision({ addonId: 'restart-check', plan: 'dev' });
    await pgResourceClient.write(made.url, 'before', 'kill');
    const first = server.pid as number;
    process.kill(first, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!(await pgResourceClient.connects(made.url))) {
      if (Date.now() > deadline) throw new Error(`not back after 30 s:\n${logs.slice(-20).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(server.pid).not.toBe(first);
    expect(await pgResourceClient.read(made.url, 'before')).toBe('kill');
    expect(logs.join('\n')).toMatch(/postgres exited with signal SIGKILL; restarting/);
    await provider.deprovision(made.resource);
  });

  it('comes back on the next platform start with the same port, the same data and the same URLs', async () => {
    const made = await provider.provision({ addonId: 'resume-check', plan: 'dev' });
    await pgResourceClient.write(made.url, 'kept', 'across restarts');
    await server.close();
    expect(await pgResourceClient.connects(made.url)).toBe(false);
    server = new EmbeddedPostgres({ addonsDir: join(dataDir, 'addons'), dataDir, log: () => undefined });
    provider = new PostgresProvider(server);
    await server.resume();
    expect(await pgResourceClient.read(made.url, 'kept')).toBe('across restarts');
    await provider.deprovision(made.resource);
  });
});

describe('a provision that fails half-way', () => {
  /** The provider boundary with a fault: the disk fills up at the statement matching `at`. */
  const failingAt = (at: RegExp): PgConnect => {
    const real = pgConnector();
    return async (url, database) => {
      const session = await real(url, database);
      return {
        query: async (sql) => {
          if (at.test(sql)) throw Object.assign(new Error('could not extend file "base/16384/1259": No space left on device'), { code: '53100' });
          return session.query(sql);
        },
        end: () => session.end(),
      };
    };
  };

  it.each([
    ['creating the database', /^create database/],
    ['revoking CONNECT, after the database exists', /^revoke all on database/],
    ['locking down schema public, inside the new database', /^revoke create on schema public/],
  ])('at %s leaves no role and no database behind', async (_, at) => {
    const faulty = new PostgresProvider(server, failingAt(at));
    const error = await faulty.provision({ addonId: 'diskfull', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_PROVISION_FAILED' });
    expect((error as Error).message).toMatch(/No space left on device.*Nothing was left behind/);
    await withClient(await server.adminUrl(), async (client) => {
      expect((await client.query(`select 1 from pg_roles where rolname = 'dz_diskfull'`)).rows).toEqual([]);
      expect((await client.query(`select 1 from pg_database where datname = 'dz_diskfull'`)).rows).toEqual([]);
    });
  });
});
