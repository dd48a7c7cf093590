import { afterEach, describe, expect, it } from 'vitest';
import type { RunTarget } from '../core/ports/runtime.js';
import type { EdgeServices } from '../edge-link/edge-services.js';
import { PROTOCOL } from '../edge-link/protocol.js';
import { Recorder } from '../test-support/recording-runtime.js';
import type { ClusterMember, Members } from './cluster-ports.js';
import { LeaderLink } from './leader-link.js';
import { startRelay, type Relay } from './relay-server.js';

// An api's link to the runtime leader, against real relays on TCP (recording runtimes behind them)
// and a Members list the test edits as the cluster's table would change.

const TOKEN = 'the-cluster-token-is-32-characters-or-more';

function members(): Members & { rows: ClusterMember[] } {
  const rows: ClusterMember[] = [];
  return {
    rows,
    join: async () => {
      throw new Error('not used');
    },
    advertise: async () => undefined,
    live: async (role) => rows.filter((row) => role === undefined || row.role === role),
  };
}

const runtimeMember = (id: string, url: string | null): ClusterMember => ({ id, role: 'runtime', host: 'h', url, startedAt: '' });

describe('LeaderLink', () => {
  const opened: { relay: Relay; runtime: Recorder }[] = [];
  let link: LeaderLink | null = null;

  const relay = async (pid: number) => {
    const runtime = new Recorder();
    const edge = { runtime, hello: () => ({ protocol: PROTOCOL, pid }) } as unknown as EdgeServices;
    const started = await startRelay({ edge, token: TOKEN, host: '127.0.0.1', port: 0, ensureSlug: async () => undefined });
    opened.push({ relay: started, runtime });
    return { relay: started, runtime };
  };
  afterEach(async () => {
    for (const { relay: r } of opened.splice(0)) r.close();
    link?.close();
    await link?.closed;
  });

  it('notices made while no leader runs reach the first one, in order; a dead leader left in the list is skipped', async () => {
    const table = members();
    link = new LeaderLink({ members: table, token: TOKEN, retryMs: 20 });
    link.notify('converge', { app: 'shop', target: { app: 'shop', appId: 'a1', slugId: 's1' } as RunTarget });
    link.notify('converge', { app: 'shop', target: null });
    const dead = await relay(1);
    dead.relay.close();
    const live = await relay(2);
    table.rows.push(runtimeMember('m1', null), runtimeMember('m2', dead.relay.url), runtimeMember('m3', live.relay.url));
    expect(await link.ready(5_000)).toBe(true);
    expect(link.hello().pid).toBe(2);
    await link.call('list', { app: 'shop' });
    expect(live.runtime.seen).toEqual(['converge shop s1', 'converge shop null', 'list shop']);
  });

  it('a read in flight when the leader goes is asked again of the next one', async () => {
    const table = members();
    const first = await relay(1);
    first.runtime.listMs = 5_000;
    table.rows.push(runtimeMember('m1', first.relay.url));
    link = new LeaderLink({ members: table, token: TOKEN, retryMs: 20 });
    const listed = link.call('list', { app: 'shop' });
    await expect.poll(() => first.runtime.seen).toEqual(['list shop']);
    const second = await relay(2);
    table.rows.splice(0, 1, runtimeMember('m2', second.relay.url));
    first.relay.close();
    expect(await listed).toEqual([]);
    expect(second.runtime.seen).toEqual(['list shop']);
    expect(link.hello().pid).toBe(2);
  });
});
