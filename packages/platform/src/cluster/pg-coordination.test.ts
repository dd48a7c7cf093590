import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresStore } from '../store/postgres.js';
import { SessionConnection } from '../store/pg-session-connection.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { eventually, freshClusterDatabase, terminateBackend } from '../test-support/cluster-database.js';
import { startExternalPostgres, type ExternalPostgres } from '../test-support/external-postgres.js';
import { testSecrets } from '../test-support/sealer.js';
import { withClient } from '../test-support/pg-resource-client.js';
import { leaseKey, PgLeases } from './pg-leases.js';
import { PgMembers } from './pg-members.js';
import { PgNotifier } from './pg-notifier.js';

// Each "process" here is one SessionConnection, as each role process has one.
let server: ExternalPostgres;
let url: string;
let store: KyselyStore;
const sessions: SessionConnection[] = [];

beforeAll(async () => {
  server = await startExternalPostgres({ throwaway: true });
  url = await freshClusterDatabase(server, 'coordination');
  store = await openPostgresStore(url, testSecrets());
}, 60_000);

afterAll(async () => {
  for (const session of sessions) await session.close();
  await store?.close();
  await server?.stop();
}, 60_000);

async function processSession(name: string): Promise<SessionConnection> {
  const session = await SessionConnection.open(url, name, { reconnectMs: 100 });
  sessions.push(session);
  return session;
}

const pidOf = (session: SessionConnection) => session.backend?.pid as number;

describe('PgNotifier', () => {
  it('delivers a payload to every listening process, this one too, and listens again after its connection is replaced', async () => {
    const a = await processSession('notifier-a');
    const b = await processSession('notifier-b');
    const got: string[] = [];
    const stop = await new PgNotifier(a).listen('dozen_test', (payload) => got.push(`a:${payload}`));
    await new PgNotifier(b).listen('dozen_test', (payload) => got.push(`b:${payload}`));
    await new PgNotifier(b).notify('dozen_test', 'one');
    await eventually(() => got.length === 2);
    expect(got.sort()).toEqual(['a:one', 'b:one']);
    const before = pidOf(a);
    await terminateBackend(server, before);
    await eventually(() => a.backend !== null && a.backend.pid !== before, 10_000, 'a reconnection');
    await new PgNotifier(b).notify('dozen_test', 'two');
    await eventually(() => got.includes('a:two'), 5000, 'the notification after the reconnection');
    await stop();
    await new PgNotifier(b).notify('dozen_test', 'three');
    await eventually(() => got.includes('b:three'));
    expect(got).not.toContain('a:three');
  }, 30_000);
});

describe('PgLeases', () => {
  it('is held by one process at a time; a standby takes over within about two polls when the holder is terminated or closes, never both', async () => {
    const holders = new Set<string>();
    const events: string[] = [];
    let overlap = false;
    const contender = async (name: string) => {
      const session = await processSession(name);
      const lease = new PgLeases(session, { pollMs: 200 }).hold('runtime:host-1', {
        acquired: () => {
          if (holders.size > 0) overlap = true;
          holders.add(name);
          events.push(`${name} acquired`);
        },
        lost: () => {
          holders.delete(name);
          events.push(`${name} lost`);
        },
      });
      return { name, session, lease };
    };
    const a = await contender('lease-a');
    await eventually(() => holders.has('lease-a'));
    const b = await contender('lease-b');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect([...holders]).toEqual(['lease-a']);
    expect(await lockHolders()).toEqual([pidOf(a.session)]);

    // The holder's server session is ended: it is told at once, the standby takes over.
    const killedAt = Date.now();
    await terminateBackend(server, pidOf(a.session));
    await eventually(() => holders.has('lease-b'), 5000, 'the takeover');
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(events.slice(1, 3)).toEqual(['lease-a lost', 'lease-b acquired']);
    // The old holder reconnects and is a standby now: it does not take the lease back.
    await eventually(() => a.session.backend !== null);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect([...holders]).toEqual(['lease-b']);
    expect(await lockHolders()).toEqual([pidOf(b.session)]);

    // The new holder's process closes its connection (exits): the first takes the lease again.
    await b.session.close();
    await eventually(() => holders.has('lease-a'), 5000, 'the second takeover');
    expect(await lockHolders()).toEqual([pidOf(a.session)]);
    // A stop releases at once.
    await a.lease.stop();
    expect(holders.size).toBe(0);
    expect(await lockHolders()).toEqual([]);
    expect(overlap).toBe(false);
    await b.lease.stop();
  }, 30_000);

  it('refuses to hold one name twice in a process, and keeps other names apart', async () => {
    const session = await processSession('lease-names');
    const leases = new PgLeases(session, { pollMs: 100 });
    const got: string[] = [];
    const one = leases.hold('scheduler', { acquired: () => void got.push('scheduler'), lost: () => undefined });
    expect(() => leases.hold('scheduler', { acquired: () => undefined, lost: () => undefined })).toThrow(/already held/);
    const two = leases.hold('runtime:host-2', { acquired: () => void got.push('runtime:host-2'), lost: () => undefined });
    await eventually(() => got.length === 2);
    expect(leaseKey('scheduler')).not.toEqual(leaseKey('runtime:host-2'));
    await one.stop();
    await two.stop();
  });
  it('drops a holder whose server session stops answering (as behind a cut network), and the standby takes over once the server lets go', async () => {
    const events: string[] = [];
    const contender = async (name: string) => {
      const session = await processSession(name);
      const lease = new PgLeases(session, { pollMs: 100, checkTimeoutMs: 500 }).hold('runtime:host-3', {
        acquired: () => void events.push(`${name} acquired`),
        lost: () => void events.push(`${name} lost`),
      });
      return { session, lease };
    };
    const a = await contender('frozen-a');
    await eventually(() => events.includes('frozen-a acquired'));
    const b = await contender('frozen-b');
    const frozen = pidOf(a.session);
    // The holder's server process stops answering (it cannot be reached), holding the lock.
    process.kill(frozen, 'SIGSTOP');
    try {
      await eventually(() => events.includes('frozen-a lost'), 3000, 'the holder giving up');
      expect(events).not.toContain('frozen-b acquired');
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    // The server finds the connection closed and ends the session: the standby takes the lease.
    await eventually(() => events.includes('frozen-b acquired'), 5000, 'the takeover');
    expect(events.slice(0, 3)).toEqual(['frozen-a acquired', 'frozen-a lost', 'frozen-b acquired']);
    await a.lease.stop();
    await b.lease.stop();
  }, 30_000);
  it('checks the connection of a holder while its start still runs, and tells it lost when the server stops answering', async () => {
    const events: string[] = [];
    const session = await processSession('slow-start');
    // A start that does not end (a runtime leader waiting for its router).
    const lease = new PgLeases(session, { pollMs: 100, checkTimeoutMs: 500 }).hold('runtime:host-4', {
      acquired: () => (events.push('acquired'), new Promise<void>(() => undefined)),
      lost: () => void events.push('lost'),
    });
    await eventually(() => events.includes('acquired'));
    const frozen = pidOf(session);
    process.kill(frozen, 'SIGSTOP');
    try {
      await eventually(() => events.includes('lost'), 3000, 'the holder giving up');
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    await lease.stop();
  }, 30_000);
});

/** The pids holding the lease lock of runtime:host-1, as the server sees them. */
async function lockHolders(): Promise<number[]> {
  const [classid, objid] = leaseKey('runtime:host-1');
  return withClient(url, async (client) => {
    const rows = await client.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid AND objid = ($2::int & x'ffffffff'::bigint)::oid AND objsubid = 2", [classid, objid]);
    return rows.rows.map((r) => r.pid);
  });
}

describe('SessionConnection', () => {
  it('ends a connection that a reconnection opened while the session was being closed', async () => {
    const name = 'closed-mid-reconnect';
    const session = await processSession(name);
    let restored = false;
    session.watch({ restored: () => void (restored = true) });
    const query = pg.Client.prototype.query;
    // The session is closed while the reconnection's first query (its backend) is under way.
    let armed = true;
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      // This session's client only (the sessions of other tests reconnect too).
      const ours = (this as unknown as { connectionParameters: { application_name?: string } }).connectionParameters.application_name === name;
      if (armed && ours && typeof args[0] === 'string' && args[0].includes('pg_backend_pid')) {
        armed = false;
        void session.close();
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      session.reset();
      await eventually(() => !armed, 3000, 'the reconnection');
      const open = () => withClient(url, async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [name])).rows[0]?.n);
      await eventually(async () => (await open()) === 0, 3000, 'the connection ending');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await open()).toBe(0);
      expect(session.backend).toBeNull();
      expect(restored).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('PgMembers', () => {
  it('lists live members oldest first, sweeps those whose session has ended, and keeps a member whose connection was replaced', async () => {
    const a = await processSession('members-a');
    const b = await processSession('members-b');
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const now = () => new Date((clock += 1000));
    const membersA = new PgMembers(store.kysely, a, now);
    const membersB = new PgMembers(store.kysely, b, now);
    const api = await membersA.join({ role: 'api', host: 'h1', url: 'http://127.0.0.1:1' });
    const runtime = await membersB.join({ role: 'runtime', host: 'h1', url: null });
    await membersB.advertise(runtime.id, 'ws://127.0.0.1:2');
    expect((await membersA.live()).map((m) => [m.role, m.url])).toEqual([['api', 'http://127.0.0.1:1'], ['runtime', 'ws://127.0.0.1:2']]);
    expect((await membersA.live('runtime')).map((m) => m.id)).toEqual([runtime.id]);

    // a's connection is replaced: a is still a member once it is back.
    const before = pidOf(a);
    await terminateBackend(server, before);
    await eventually(() => a.backend !== null && a.backend.pid !== before);
    await eventually(async () => (await membersB.live('api')).length === 1, 5000, 'the rejoin');

    // b's process goes: its row is swept by the next reader.
    await b.close();
    expect((await membersA.live()).map((m) => m.id)).toEqual([api.id]);
    const rows = await withClient(url, async (client) => (await client.query('SELECT id FROM cluster_members')).rows);
    expect(rows).toEqual([{ id: api.id }]);
  }, 30_000);
});
