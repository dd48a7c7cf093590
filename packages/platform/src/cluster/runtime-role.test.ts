import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirLayout, slugPath } from '@dozen/contracts/node';
import { parseConfig } from '../config.js';
import type { LogEvent, ProcessStatus } from '../core/model.js';
import type { Runtime, RunTarget } from '../core/ports/runtime.js';
import { EdgeClient } from '../edge-link/edge-client.js';
import { EdgeServer } from '../edge-link/edge-server.js';
import { EvidenceForwarder } from '../edge-link/evidence-forwarder.js';
import { LogForwarder } from '../edge-link/log-forwarder.js';
import { buildEdge, type LocalEdge } from '../edge-main.js';
import { ClusterTable } from '../test-support/cluster-table.js';
import { LeaderEdge, leaderEdge } from './leader-edge.js';
import { LeaderLink } from './leader-link.js';
import { startRuntimeRole, type RuntimeRole } from './runtime-role.js';

// The runtime role (issue 19) against a real edge (the router and real app processes, unsandboxed)
// served on its socket in this process, with in-process Leases and Members: a session of the fake
// cluster stands for a process's PostgreSQL session (its leases and its member row go with it).

const TOKEN = 'a-cluster-token-of-at-least-32-characters';

const SERVER = `require('node:http').createServer((q, s) => s.end('v' + process.env.DOZEN_RELEASE)).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));`;

describe('runtime role: leader, standby, relay and the api link', () => {
  const root = mkdtempSync(join(tmpdir(), 'dozen-runtime-role-'));
  const dirs = dataDirLayout(root);
  const logs: LogEvent[] = [];
  const slugCalls: string[] = [];
  const cluster = new ClusterTable();
  const roles: RuntimeRole[] = [];
  let local: LocalEdge;
  let server: EdgeServer;
  let target: RunTarget | null = null;
  const arrived: string[] = [];
  const forwarder = new LogForwarder();
  const evidence = new EvidenceForwarder();
  let recording: Runtime;

  const startRole = (session: string) =>
    startRuntimeRole({
      hostId: 'host-1',
      ...cluster.session(session),
      edgeSocket: dirs.edgeSocket,
      relay: { token: TOKEN, host: '127.0.0.1', port: 0 },
      // Slow on purpose: what the api sends after a converge must still run after it.
      ensureSlug: async (appId, slugId) => {
        slugCalls.push(`${appId}/${slugId}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
      resend: async (edge) => {
        edge.runtime.converge('tiny', target);
        return 1;
      },
      logs: { append: (event) => logs.push(event) },
      logger: pino({ level: 'silent' }),
    });

  beforeAll(async () => {
    mkdirSync(join(root, 'run'), { recursive: true, mode: 0o700 });
    const config = parseConfig({ DOZEN_DATA_DIR: root, DOZEN_SANDBOX: 'none', DOZEN_NETWORK_ISOLATION: 'off', DOZEN_ROUTER_PORT: '0', DOZEN_ROUTER_HTTPS_PORT: 'off', DOZEN_GRACE_PERIOD: '1' }, process.execPath);
    local = await buildEdge(config, dirs, forwarder, undefined, evidence);
    await local.listen();
    // What reaches the edge, in order of arrival.
    const runtime = local.runtime;
    recording = Object.create(runtime, {
      converge: { value: (app: string, t: RunTarget | null) => (arrived.push(`converge ${app} ${t?.release ?? null}`), runtime.converge(app, t)) },
      list: { value: (app: string) => (arrived.push(`list ${app}`), runtime.list(app)) },
    }) as Runtime;
    server = new EdgeServer({ ...local.services, runtime: recording }, { forwarder, evidence });
    await server.listen(dirs.edgeSocket);
    const slugDir = slugPath(dirs, 'app-1', 'slug-1');
    mkdirSync(slugDir, { recursive: true });
    writeFileSync(join(slugDir, 'server.js'), SERVER);
  });
  afterAll(async () => {
    for (const role of roles) await role.stop();
    server.close();
    await local.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the standby takes over from a dead leader: the edge adopts the same processes, the api link follows', async () => {
    const a = await startRole('a');
    roles.push(a);
    await expect.poll(() => a.relayUrl(), { timeout: 10_000 }).not.toBeNull();
    const b = await startRole('b');
    roles.push(b);
    // The relay wants the cluster token on the upgrade.
    await expect(EdgeClient.connect({ url: a.relayUrl() as string, token: 'not-the-token-not-the-token-not-the-token' }, () => undefined)).rejects.toThrow(/401/);

    const { edge } = await leaderEdge({ members: cluster.session('api').members, token: TOKEN, waitMs: 10_000, retryMs: 50 })(undefined as never, dirs);
    expect(edge).toBeInstanceOf(LeaderEdge);
    expect(edge.hello().pid).toBe(process.pid);
    target = {
      app: 'tiny',
      appId: 'app-1',
      release: 1,
      slugId: 'slug-1',
      config: {},
      processTypes: { web: 'node server.js' },
      formation: { web: 1 },
      runtime: { nodeBinDir: null, healthchecks: {} },
      user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
    };
    edge.runtime.converge('tiny', target);
    // Sent after the converge, answered after it although the slug took 100 ms to "fetch".
    arrived.length = 0;
    await edge.runtime.list('tiny');
    expect(arrived).toEqual(['converge tiny 1', 'list tiny']);
    expect(slugCalls).toEqual(['app-1/slug-1']);
    const up = async () => (await edge.runtime.list('tiny')).filter((p) => p.state === 'up');
    await expect.poll(async () => (await up()).length, { timeout: 15_000 }).toBe(1);
    const before = (await up()).map((p: ProcessStatus) => p.pid);
    expect(before[0]).toBeGreaterThan(0);

    // A one-off through the relay: its slug is made sure of first, its output comes back.
    const out: string[] = [];
    const run = edge.runtime.runOneOff(target, { command: ['node', '-e', 'console.log("one-off " + process.env.DOZEN_RELEASE)'], onStdout: (c) => out.push(Buffer.from(c).toString()), onStderr: () => undefined });
    expect(await run.exit).toMatchObject({ code: 0 });
    expect(out.join('')).toBe('one-off v1\n');
    expect(slugCalls).toEqual(['app-1/slug-1', 'app-1/slug-1']);

    // The leader dies: its session ends; the standby leads, re-sends the target, the edge adopts.
    cluster.crash('a');
    expect(a.relayUrl()).toBeNull();
    await expect.poll(() => b.relayUrl(), { timeout: 10_000 }).not.toBeNull();
    const after = await edge.runtime.list('tiny');
    expect(after.map((p) => `${p.name} ${p.state} ${p.pid}`)).toEqual([`web.1 up ${before[0]}`]);
    expect(local.runtime.listNow('tiny')).toHaveLength(1);
    // The new leader made sure of the slug of what it re-sent (a host may lack it).
    expect(slugCalls).toHaveLength(3);
    // The edge's log lines went to the leader's LogSink.
    expect(logs.some((line) => line.app === 'tiny' && line.process === 'web.1' && line.message.startsWith('listening on '))).toBe(true);

    // The router role restarts its socket: the leader waits for it, connects again and re-sends.
    arrived.length = 0;
    server.close();
    server = new EdgeServer({ ...local.services, runtime: recording }, { forwarder, evidence });
    await server.listen(dirs.edgeSocket);
    await expect.poll(() => arrived, { timeout: 10_000 }).toContain('converge tiny 1');
    expect((await edge.runtime.list('tiny')).map((p) => `${p.name} ${p.pid}`)).toEqual([`web.1 ${before[0]}`]);
    await edge.runtime.shutdown();
  }, 60_000);

  it('calls made while no runtime leads wait, then fail with RUNTIME_UNREACHABLE', async () => {
    const lonely = new ClusterTable();
    const link = new LeaderLink({ members: lonely.session('api').members, token: TOKEN, waitMs: 300, retryMs: 50 });
    const started = Date.now();
    await expect(link.call('list', { app: 'tiny' })).rejects.toMatchObject({ code: 'RUNTIME_UNREACHABLE' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(link.hello().pid).toBe(0);
    link.close();
    await link.closed;
  });
});
