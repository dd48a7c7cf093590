import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyslogSink } from '../../packages/platform/src/test-support/log-sinks.js';
import { startLoad, type LoadResult } from './support/load.js';
import { eventually, isAlive, processesRunning, processGroupsUnder, processesUnder, ROOT, type TestPlatform } from './support/platform.js';
import { TestCluster } from './support/test-cluster.js';

// Issue 19, acceptance 1: the roles as processes on one PostgreSQL. 2 api + 1 router + 1 builder
// + 2 runtime (a leader and a standby of one host); the CLI against either api; kill -9 of an api
// mid-deploy, of the builder mid-build and of the runtime leader, with a load through the router
// the whole time that must see no failed request.

interface Body {
  greeting: string;
  process: string;
  release: string;
}

/** A buildpack whose compile step echoes, then runs `script` (sh). */
function buildpack(dir: string, name: string, script: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', 'detect'), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  writeFileSync(join(root, 'bin', 'compile'), `#!/bin/sh\necho "-----> ${name} compile"\n${script}\n`, { mode: 0o755 });
  return root;
}

/** examples/node-web's server (JSON with the release) as a Procfile app of its own. */
function webApp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n');
  writeFileSync(join(dir, 'server.js'), readFileSync(join(ROOT, 'examples', 'node-web', 'server.js')));
  return dir;
}

describe('the roles as processes: 2 api, router, builder, 2 runtime on one PostgreSQL, with faults', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-roles-'));
  // A build that takes a while, found by its command line while it runs.
  const marker = `sleep 4.${process.pid % 900}`;
  const slow = buildpack(scratch, 'slow', marker);
  const fast = buildpack(scratch, 'fast', 'true');
  const cluster = new TestCluster({ DOZEN_BUILDPACK_DIRS: scratch });
  let api1: TestPlatform;
  let api2: TestPlatform;
  let load: { stop(): Promise<LoadResult> } | null = null;
  const slugs = () => join(cluster.hostDir, 'slugs');
  const running = () => processesRunning(marker).filter(isAlive);
  const body = async (cli: TestPlatform) => {
    const response = await cli.http('hello');
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as Body;
  };
  const current = async (cli: TestPlatform) => (JSON.parse((await cli.ok(['releases', '-a', 'hello', '--json'])).stdout) as { version: number; current: boolean }[]).filter((r) => r.current).map((r) => r.version);
  const leader = () => cluster.runtimes.find((runtime) => runtime.pid !== undefined && runtime.linesWith('Runtime leader of host').length > 0 && runtime.linesWith('Lost the runtime lease').length === 0);

  beforeAll(async () => {
    await cluster.start();
    api1 = cluster.cliOf(0);
    api2 = cluster.cliOf(1);
  }, 90_000);
  afterAll(async () => {
    await load?.stop();
    await cluster.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1. deploys through one api and serves through the router; the other api sees it; a load starts', async () => {
    await api1.ok(['apps:create', 'hello']);
    expect((await api1.ok(['deploy', 'examples/node-web', '-a', 'hello'])).stdout).toContain('Released v1');
    await eventually(async () => expect(await body(api1)).toMatchObject({ greeting: 'Hello from Dozen', release: 'v1' }));
    expect((await api2.ok(['apps'])).stdout).toContain('hello');
    load = startLoad(cluster.routerPort, 'hello.localhost', 4);
  });

  it('2. config, scale, logs and run through either api', async () => {
    expect((await api2.ok(['config:set', 'GREETING=Howdy from the cluster', '-a', 'hello'])).stdout).toContain('released v2');
    await eventually(async () => expect(await body(api1)).toMatchObject({ greeting: 'Howdy from the cluster', release: 'v2' }));
    await api1.ok(['ps:scale', 'web=2', '-a', 'hello']);
    await eventually(async () => {
      const ps = await api2.ok(['ps', '-a', 'hello']);
      expect(ps.stdout).toMatch(/web\.1:\s+up/);
      expect(ps.stdout).toMatch(/web\.2:\s+up/);
    });
    // App lines go from the edge to the runtime leader to the store: either api reads them.
    for (const cli of [api1, api2]) {
      await eventually(async () => expect((await cli.ok(['logs', '-n', '300', '-a', 'hello'])).stdout).toMatch(/app\[web\.\d\]: GET \/ -> 200/));
    }
    expect((await api2.ok(['run', '-a', 'hello', '--', 'node', '-e', 'console.log(`one-off ${process.env.GREETING}`)'])).stdout).toContain('one-off Howdy from the cluster');
    // A drain added through one api gets the app's lines, which the runtime leader writes.
    const sink = await SyslogSink.start();
    try {
      await api1.ok(['drains:add', `syslog://127.0.0.1:${sink.port}`, '-a', 'hello']);
      await eventually(async () => expect(sink.messages.some((m) => / hello app web\.\d+ - - GET \/ -> 200/.test(m))).toBe(true), 15_000);
    } finally {
      await sink.close();
    }
    await api1.ok(['buildpacks:set', fast, '-a', 'hello']);
    expect((await api2.ok(['deploy', webApp(join(scratch, 'v3')), '-a', 'hello'])).stdout).toContain('Released v3');
  });

  it('3. kill -9 of an api mid-deploy: nothing is half-released; a deploy through the other api works', async () => {
    await api1.ok(['buildpacks:set', slow, '-a', 'hello']);
    const orphan = api1.cli(['deploy', webApp(join(scratch, 'v4')), '-a', 'hello']);
    await eventually(async () => expect(running().length).toBeGreaterThan(0), 20_000);
    const port = new URL(api1.apiUrl).port;
    await cluster.apis[0]?.kill();
    expect((await orphan).code).not.toBe(0);
    expect(await current(api2)).toEqual([3]);
    await api2.ok(['buildpacks:set', fast, '-a', 'hello']);
    expect((await api2.ok(['deploy', webApp(join(scratch, 'v5')), '-a', 'hello'])).stdout).toMatch(/Released v4/);
    await eventually(async () => expect((await body(api2)).release).toBe('v4'));
    // The killed api's build ran on to its end on the builder, and was never released.
    await eventually(async () => expect(running()).toEqual([]), 15_000);
    expect(await current(api2)).toEqual([4]);
    await cluster.apis[0]?.start({ PORT: port });
    expect(await current(api1)).toEqual([4]);
  });

  it('4. kill -9 of the builder mid-build: the job is taken again by the restarted builder; the serving release is untouched until then', async () => {
    await api2.ok(['buildpacks:set', slow, '-a', 'hello']);
    const deploy = api2.cli(['deploy', webApp(join(scratch, 'v6')), '-a', 'hello']);
    await eventually(async () => expect(running().length).toBeGreaterThan(0), 20_000);
    // The build's output, live, through the api that does not run the deploy.
    const followed = api1.cli(['builds:output', '-a', 'hello']);
    await cluster.builder.kill();
    expect((await body(api1)).release).toBe('v4');
    expect(await current(api1)).toEqual([4]);
    await cluster.builder.start();
    const result = await deploy;
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Released v5');
    await eventually(async () => expect((await body(api1)).release).toBe('v5'));
    const output = await followed;
    expect(output.code, output.stderr).toBe(0);
    expect(output.stdout).toContain('-----> slow compile');
    // The second attempt, on the restarted builder, says so in the build's output.
    expect(result.stdout).toContain('The builder of this job was lost: attempt 2 of 2 starts on another builder.');
  });

  it('5. kill -9 of the runtime leader: the standby takes over and adopts the running processes, no duplicates', async () => {
    // The previous release's processes may still be in their grace period: wait for the two of v5.
    await eventually(async () => expect(processGroupsUnder(slugs())).toHaveLength(2), 15_000);
    const before = processesUnder(slugs()).sort();
    const first = leader();
    expect(first).toBeDefined();
    await first?.kill();
    const standby = cluster.runtimes.find((runtime) => runtime !== first);
    await eventually(async () => expect(standby?.linesWith('Runtime leader of host').length).toBeGreaterThan(0), 15_000);
    // Calls through the new leader's relay: ps lists the same processes, scaling adds exactly one.
    await eventually(async () => expect(JSON.parse((await api1.ok(['ps', '-a', 'hello', '--json'])).stdout)).toHaveLength(2), 15_000);
    expect(processesUnder(slugs()).sort()).toEqual(before);
    await api2.ok(['ps:scale', 'web=3', '-a', 'hello']);
    await eventually(async () => expect(processGroupsUnder(slugs())).toHaveLength(3));
    expect(processesUnder(slugs()).filter((pid) => before.includes(pid)).sort()).toEqual(before);
    await first?.start();
  });

  it('6. the load through the router saw no failed request during all of it', async () => {
    const result = await (load as { stop(): Promise<LoadResult> }).stop();
    load = null;
    expect(result.requests).toBeGreaterThan(100);
    expect(result.failures, result.samples.join('\n')).toBe(0);
    expect([...result.releases]).toEqual(expect.arrayContaining(['v1', 'v2', 'v5']));
  });

  it('7. SIGTERM stops every role gracefully (exit 0); the apps keep serving until their router stops', async () => {
    for (const role of [cluster.builder, ...cluster.apis, ...cluster.runtimes]) expect(await role.stop(), `${role.name}\n${role.logs}`).toBe(0);
    expect((await body(api1)).release).toBe('v5');
    expect(await cluster.router.stop()).toBe(0);
    expect(processesUnder(slugs())).toEqual([]);
  });
});
