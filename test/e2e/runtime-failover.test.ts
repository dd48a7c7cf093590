import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirLayout, slugPath } from '../../packages/contracts/src/node/index.js';
import type { ProcessStatus } from '../../packages/platform/src/core/model.js';
import { leaderEdge } from '../../packages/platform/src/cluster/leader-edge.js';
import type { EdgeServices } from '../../packages/platform/src/edge-link/edge-services.js';
import { ClusterTable, serveClusterTable } from '../../packages/platform/src/test-support/cluster-table.js';
import { startRoleProcess, startRouter, type RoleProcess } from './support/edge-foreground.js';
import { startLoad } from './support/load.js';
import { ROOT } from './support/platform.js';

// Issue 19, the runtime role as processes: the router role (the compiled edge in the foreground)
// and two runtime role processes on one host, Leases and Members from a table whose sessions are
// the processes' TCP connections (a kill -9 ends them, as with PostgreSQL's advisory locks). The
// test drives the apps as an api does, through the leader's relay (LeaderEdge), kills the leader
// with SIGKILL under load, and checks that the standby takes over without touching the app.

const TOKEN = 'runtime-failover-cluster-token-0123456789';
const SERVER = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end(JSON.stringify({ release: process.env.DOZEN_RELEASE, pid: process.pid })); }).listen(Number(process.env.PORT), '127.0.0.1');`;

describe('runtime role failover (processes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dozen-runtime-failover-'));
  const dirs = dataDirLayout(dataDir);
  const processes: RoleProcess[] = [];
  let closeTable = () => undefined as void;
  let edge: EdgeServices | null = null;

  afterAll(async () => {
    await edge?.runtime.shutdown();
    for (const role of processes.slice(1)) if (role.child.exitCode === null) role.child.kill('SIGKILL');
    const router = processes[0];
    if (router && router.child.exitCode === null) {
      router.child.kill('SIGTERM');
      await router.exited;
    }
    closeTable();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 of the runtime leader under load: the standby leads, the same app process serves, 0 failed requests', async () => {
    const slugDir = slugPath(dirs, 'app-1', 'slug-1');
    mkdirSync(slugDir, { recursive: true });
    writeFileSync(join(slugDir, 'server.js'), SERVER);
    const uid = process.getuid?.() ?? 0;
    const target = { app: 'tiny', appId: 'app-1', release: 3, slugId: 'slug-1', config: {}, processTypes: { web: 'node server.js' }, formation: { web: 1 }, runtime: { nodeBinDir: null, healthchecks: {} }, user: { uid, gid: uid } };

    const table = new ClusterTable();
    const served = await serveClusterTable(table);
    closeTable = served.close;
    processes.push(await startRouter(dataDir, true));
    const env = { PLATFORM_DIST: join(ROOT, 'packages', 'platform', 'dist'), TABLE_PORT: String(served.port), EDGE_SOCKET: dirs.edgeSocket, CLUSTER_TOKEN: TOKEN, TARGET: JSON.stringify(target) };
    const child = join(ROOT, 'test', 'e2e', 'fixtures', 'runtime-role', 'child.mjs');
    const leader = await startRoleProcess([child], env, 'runtime role started');
    processes.push(leader);
    await expect.poll(() => leader.output(), { timeout: 15_000 }).toContain('Runtime leader of host host-1');
    const standby = await startRoleProcess([child], env, 'runtime role started');
    processes.push(standby);

    // The api's side: the edge through the leader's relay.
    ({ edge } = await leaderEdge({ members: table.session('api').members, token: TOKEN, waitMs: 15_000, retryMs: 100 })(undefined as never, dirs));
    const running = async () => (await (edge as EdgeServices).runtime.list('tiny')).filter((p: ProcessStatus) => p.state === 'up');
    await expect.poll(async () => (await running()).length, { timeout: 20_000 }).toBe(1);
    const [before] = await running();
    const routerPort = edge.hello().routerPort;
    expect(routerPort).toBeGreaterThan(0);

    const load = startLoad(routerPort, 'tiny.localhost', 4);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    leader.child.kill('SIGKILL');
    expect(await leader.exited).toBeNull();
    await expect.poll(() => standby.output(), { timeout: 15_000 }).toContain('Runtime leader of host host-1');
    const after = await edge.runtime.list('tiny');
    expect(after.map((p) => `${p.name} ${p.state} ${p.pid}`)).toEqual([`web.1 up ${before?.pid}`]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result = await load.stop();
    console.log(`runtime failover: ${result.requests} answers, ${result.failures} failed`);
    expect(result.failures, result.samples.join('\n')).toBe(0);
    expect(result.requests).toBeGreaterThan(50);
    expect([...result.releases]).toEqual(['v3']);

    // The new leader takes changes: scaled to 2 through its relay, web.1 untouched.
    edge.runtime.converge('tiny', { ...target, formation: { web: 2 } });
    await expect.poll(async () => (await running()).map((p) => p.name), { timeout: 20_000 }).toEqual(['web.1', 'web.2']);
    expect((await running())[0]?.pid).toBe(before?.pid);
  }, 90_000);
});
