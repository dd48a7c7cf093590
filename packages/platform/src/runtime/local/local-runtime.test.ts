import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SIZES } from '../../core/process-sizes.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HealthCheck, LogEvent, ProcessStatus, ProcessTypeSettings } from '../../core/model.js';
import type { RouteTable } from '../../shared-ports/route-table.js';
import type { RunTarget } from '../../core/ports/runtime.js';
import { openSandbox } from '../../sandbox/open-sandbox.js';
import { HostNetwork } from '../../sandbox/host-network.js';
import { LocalRuntime } from './local-runtime.js';

/**
 * The runtime adapter with real processes in real sandboxes: slugs in a temp dir, a recording
 * route table (the router is another adapter) and the platform's own Node.js.
 */
const root = mkdtempSync(join(tmpdir(), 'dozen-runtime-test-'));
const slugs = join(root, 'slugs');
const sandbox = openSandbox('bubblewrap', join(root, 'sandbox'));

class RecordingRoutes implements RouteTable {
  readonly endpoints = new Map<string, { process: string; port: number }>();
  readonly events: string[] = [];
  declareApp(): void {}
  removeApp(): void {}
  addEndpoint(_app: string, endpoint: { id: string; process: string; port: number }): void {
    this.endpoints.set(endpoint.id, endpoint);
    this.events.push(`add ${endpoint.process} ${endpoint.port}`);
  }
  removeEndpoint(_app: string, id: string): void {
    this.events.push(`remove ${this.endpoints.get(id)?.process} ${this.endpoints.get(id)?.port}`);
    this.endpoints.delete(id);
  }
  async drain(_app: string, id: string): Promise<void> {
    this.events.push(`drain ${this.endpoints.get(id)?.process} ${this.endpoints.get(id)?.port}`);
    this.endpoints.delete(id);
  }
}

const SERVER = `
const http = require('node:http');
const fs = require('node:fs');
let checks = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/up') {
    checks++;
    const status = checks > Number(process.env.FAIL_CHECKS || 0) ? 200 : 500;
    // SLOW_CHECKS: the first checks are answered only after 1.5 s.
    return setTimeout(() => { res.writeHead(status); res.end(); }, checks <= Number(process.env.SLOW_CHECKS || 0) ? 1500 : 0);
  }
  res.end(process.env.DOZEN_PROCESS + ' ' + process.env.DOZEN_RELEASE);
});
server.listen(process.env.WRONG_PORT ? 0 : Number(process.env.PORT), process.env.HOST || '127.0.0.1', () => console.log('listening'));
if (process.env.LOG_FILE) fs.openSync('/tmp/app.log', 'a');
if (process.env.IGNORE_SIGTERM) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
`;

let counter = 0;
function slug(files: Record<string, string>): { appId: string; slugId: string } {
  const appId = 'app';
  const slugId = `slug-${++counter}`;
  const dir = join(slugs, appId, slugId);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { appId, slugId };
}

function target(release: number, processTypes: Record<string, string>, formation: Record<string, number>, extra: Partial<RunTarget> = {}): RunTarget {
  return {
    app: 'app',
    ...slug({ 'server.js': SERVER }),
    release,
    config: {},
    processTypes,
    formation,
    runtime: { nodeBinDir: null, healthchecks: {} },
    user: { uid: 70_980, gid: 70_980 },
    ...extra,
  };
}

/** Host processes running as `uid`. */
function processesOf(uid: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (!new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status) || /^State:\s+Z/m.test(status)) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const check = (attempts: number, timeoutSeconds = 2): HealthCheck => ({ type: 'startup', name: 'up', path: '/up', attempts, timeoutSeconds, waitSeconds: 0.1, initialDelaySeconds: 0 });

describe('LocalRuntime (real processes in bubblewrap)', () => {
  let routes: RecordingRoutes;
  let logs: LogEvent[];
  let runtime: LocalRuntime;
  const lines = () => logs.map((l) => `${l.process}: ${l.message}`).join('\n');
  const list = () => runtime.listNow('app');
  const find = (name: string): ProcessStatus | undefined => list().find((p) => p.name === name && p.state !== 'stopping');
  async function until<T>(get: () => T | undefined | false, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = get();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`not in time; log:\n${lines()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const fetchFrom = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text();

  beforeAll(() => mkdirSync(slugs, { recursive: true }));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    await runtime.remove('app');
    expect(processesOf(70_980)).toEqual([]);
  });
  const start = (backoff: { resetAfterMs?: number } = {}) => {
    routes = new RecordingRoutes();
    logs = [];
    runtime = new LocalRuntime({
      routes,
      logs: { append: (event) => logs.push(event) },
      sandbox,
      network: new HostNetwork('the host network'),
      slugDir: (appId, slugId) => join(slugs, appId, slugId),
      nodeBinDir: '/usr/bin',
      graceMs: 1000,
      bootTimeoutMs: 3000,
      sizes: SIZES,
      memorySampleMs: 1000,
      backoff: { baseMs: 200, capMs: 800, resetAfterMs: 600_000, jitter: 0, ...backoff },
      random: () => 0.5,
    });
  };

  it('honours app.json health checks: a web process joins the router only once they pass', async () => {
    start();
    const t = target(1, { web: 'node server.js' }, { web: 1 }, { config: { FAIL_CHECKS: '2' }, runtime: { nodeBinDir: null, healthchecks: { web: [check(3)] } } });
    await runtime.rollout(t, () => undefined);
    const web = find('web.1') as ProcessStatus;
    expect(web.state).toBe('up');
    expect([...routes.endpoints.values()].map((e) => e.port)).toEqual([web.port]);
    expect(await fetchFrom(web.port as number)).toBe('web.1 v1');
    expect(lines()).toMatch(/Health check up \(GET \/up\) attempt 2 of 3: answered 500/);
    expect(lines()).toContain('Health check up (GET /up) passed');
  });

  it('scorecard:require VII.binds-port: a release listening on loopback only does not serve, the old one keeps serving; a fixed one goes through', async () => {
    start();
    const required = { requiredChecks: ['VII.binds-port'] };
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }, { config: { HOST: '0.0.0.0' } }), () => undefined);
    const serving = find('web.1') as ProcessStatus;
    const loopback = target(2, { web: 'node server.js' }, { web: 1 }, required);
    await expect(runtime.rollout(loopback, () => undefined)).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: expect.stringMatching(/^web\.1 listens on 127\.0\.0\.1:\d+ only, not on every interface: VII\.binds-port is required/) });
    await until(() => list().length === 1);
    expect(find('web.1')).toMatchObject({ release: 1, pid: serving.pid });
    await runtime.rollout(target(3, { web: 'node server.js' }, { web: 1 }, { ...required, config: { HOST: '0.0.0.0' } }), () => undefined);
    expect(find('web.1')).toMatchObject({ release: 3, state: 'up' });
  });

  it('scorecard:require XI.logs-to-stdout: a web process with /tmp/app.log open is sampled before it joins the router and fails its boot', async () => {
    start();
    const required = { requiredChecks: ['XI.logs-to-stdout'] };
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }), () => undefined);
    const serving = find('web.1') as ProcessStatus;
    await expect(runtime.rollout(target(2, { web: 'node server.js' }, { web: 1 }, { ...required, config: { LOG_FILE: '1' } }), () => undefined)).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: 'web.1 writes /tmp/app.log: XI.logs-to-stdout is required (log to stdout, not to files).' });
    // The new web.1 never joined the router.
    expect(routes.events.filter((e) => e.startsWith('add'))).toEqual([`add web.1 ${serving.port}`]);
    await until(() => list().length === 1);
    expect(find('web.1')).toMatchObject({ release: 1, pid: serving.pid });
    await runtime.rollout(target(3, { web: 'node server.js' }, { web: 1 }, required), () => undefined);
    expect(find('web.1')).toMatchObject({ release: 3, state: 'up' });
  });

  it('a crashed web process leaves the router at once and rejoins once it is up again', async () => {
    start();
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }), () => undefined);
    const first = find('web.1') as ProcessStatus;
    process.kill(first.pid as number, 'SIGKILL');
    await until(() => find('web.1')?.state === 'up' && find('web.1')?.restarts === 1);
    expect(routes.events).toEqual([`add web.1 ${first.port}`, `remove web.1 ${first.port}`, `add web.1 ${find('web.1')?.port}`]);
    expect(lines()).toMatch(/web\.1 exited with exit code 137; state changed to crashed, restarting now \(crash 1 in a row\)/);
    expect([...routes.endpoints.values()].map((e) => e.port)).toEqual([find('web.1')?.port]);
  });

  it('a release that fails its health checks never replaces the serving one, and says why', async () => {
    start();
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }), () => undefined);
    const serving = find('web.1') as ProcessStatus;
    const progress: string[] = [];
    const bad = target(2, { web: 'node server.js' }, { web: 1 }, { config: { FAIL_CHECKS: '99' }, runtime: { nodeBinDir: null, healthchecks: { web: [check(2)] } } });
    await expect(runtime.rollout(bad, (line) => progress.push(line))).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: 'web.1 failed its health check up: GET /up answered 500 (2 attempts).' });
    expect(progress.join('\n')).toContain('Last output of web.1');
    await until(() => list().length === 1);
    expect(find('web.1')).toMatchObject({ release: 1, pid: serving.pid, port: serving.port });
    expect(await fetchFrom(serving.port as number)).toBe('web.1 v1');
  });

  it('a health check answered later than its timeout counts as failed, even when the answer is 200', async () => {
    start();
    const slowly = (release: number, slow: number) =>
      target(release, { web: 'node server.js' }, { web: 1 }, { config: { SLOW_CHECKS: String(slow) }, runtime: { nodeBinDir: null, healthchecks: { web: [check(2, 0.5)] } } });
    // The first check is answered (200) after 1.5 s, past its 0.5 s timeout: a failed attempt; the second passes.
    await runtime.rollout(slowly(1, 1), () => undefined);
    const serving = find('web.1') as ProcessStatus;
    expect(serving.state).toBe('up');
    expect(lines()).toContain('Health check up (GET /up) attempt 1 of 2: did not answer within 0.5 s');
    expect(lines()).not.toContain('attempt 2 of 2');
    // Every check too slow (answered after 99 s): the release fails at the timeouts, not at the answers,
    // and the serving one stays.
    await expect(runtime.rollout(slowly(2, 99), () => undefined)).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: 'web.1 failed its health check up: GET /up did not answer within 0.5 s (2 attempts).' });
    await until(() => list().length === 1);
    expect(find('web.1')).toMatchObject({ release: 1, pid: serving.pid, port: serving.port });
    expect([...routes.endpoints.values()].map((e) => e.port)).toEqual([serving.port]);
  });

  it('an app that binds the wrong port fails within its type\'s boot timeout and its listener is gone', async () => {
    start();
    const settings: Record<string, ProcessTypeSettings> = { web: { bootTimeoutSeconds: 1 } };
    const t = target(1, { web: 'node server.js' }, { web: 1 }, { config: { WRONG_PORT: '1' }, settings });
    await expect(runtime.rollout(t, () => undefined)).rejects.toThrow(/^web\.1 did not bind PORT \d+ within 1 s\.$/);
    expect(lines()).toMatch(/Error R10 \(Boot timeout\)/);
    await until(() => list().every((p) => p.pid === null));
  });

  it('crash loops back off: immediate, then doubling to the cap, never a 0 ms loop, visible in the status', async () => {
    start();
    runtime.converge('app', target(1, { worker: 'exit 0', clock: 'no-such-command --now' }, { worker: 1, clock: 1 }));
    const restarts = (name: string) => [...lines().matchAll(new RegExp(`^${name.replace('.', '\\.')}: .*restarting (now|in \\d+ ms) \\(crash (\\d+) in a row\\)$`, 'gm'))].map((m) => m[1]);
    const crashed = await until(() => {
      const p = find('worker.1');
      return restarts('worker.1').length >= 5 && p?.state === 'crashed' && p.nextRestartAt !== null && p;
    }, 15_000);
    expect(restarts('worker.1').slice(0, 5)).toEqual(['now', 'in 200 ms', 'in 400 ms', 'in 800 ms', 'in 800 ms']);
    expect(crashed.lastExit).toBe('exit code 0');
    expect(Date.parse(crashed.nextRestartAt as string)).toBeGreaterThan(Date.now() - 1000);
    expect(lines()).toMatch(/clock\.1: clock\.1 exited with exit code 127; state changed to crashed/);
    expect(lines()).toContain('no-such-command: command not found');
    expect(restarts('clock.1').slice(0, 4)).toEqual(['now', 'in 200 ms', 'in 400 ms', 'in 800 ms']);
  });

  it('a process that stayed up for resetAfterMs starts its crash count and backoff over', async () => {
    start({ resetAfterMs: 1500 });
    runtime.converge('app', target(1, { worker: 'sleep 300' }, { worker: 1 }));
    const announced = () => [...lines().matchAll(/^worker\.1: .*restarting (now|in \d+ ms) \(crash (\d+) in a row\)$/gm)].map((m) => `${m[1]} #${m[2]}`);
    /** Waits until run number `restarts` is up, lets it live `upMs`, then kills it. */
    const crash = async (restarts: number, upMs = 0) => {
      const up = await until(() => find('worker.1')?.state === 'up' && find('worker.1')?.restarts === restarts && !!find('worker.1')?.pid && find('worker.1'));
      await new Promise((r) => setTimeout(r, upMs));
      process.kill(up.pid as number, 'SIGKILL');
      await until(() => announced().length === restarts + 1);
    };
    await crash(0);
    await crash(1);
    await crash(2);
    expect(announced()).toEqual(['now #1', 'in 200 ms #2', 'in 400 ms #3']);
    // Up for longer than resetAfterMs: the next crash is the first again, restarted at once.
    await crash(3, 1800);
    await crash(4);
    expect(announced()).toEqual(['now #1', 'in 200 ms #2', 'in 400 ms #3', 'now #1', 'in 200 ms #2']);
    await until(() => find('worker.1')?.state === 'up' && find('worker.1')?.restarts === 5);
  });

  it('a slug whose files are missing fails with a clear reason and backs off', async () => {
    start();
    const t = target(1, { worker: 'node server.js' }, { worker: 1 });
    rmSync(join(slugs, t.appId, t.slugId), { recursive: true });
    runtime.converge('app', t);
    await until(() => (find('worker.1')?.restarts ?? 0) >= 2);
    expect(lines()).toContain(`worker.1 cannot start: the files of release v1 are missing (${join(slugs, t.appId, t.slugId)} does not exist); deploy again`);
    expect(find('worker.1')).toMatchObject({ state: expect.stringMatching(/crashed|starting/), lastExit: 'failed to start' });
  });

  it('an app that forks a daemon and exits has crashed, and its daemon is gone', async () => {
    start();
    runtime.converge('app', target(1, { worker: 'setsid sleep 300 & echo "daemon $!"; sleep 0.5' }, { worker: 1 }));
    await until(() => (find('worker.1')?.restarts ?? 0) >= 2);
    expect(lines()).toMatch(/worker\.1 exited with exit code 0/);
    // Each run's daemon died with it: at most the current run's is alive.
    expect(processesOf(70_980).filter((p) => p.command === 'sleep 300').length).toBeLessThanOrEqual(1);
  });

  it('a process that ignores SIGTERM is killed after its grace period, group-wide', async () => {
    start();
    const t = target(1, { web: 'node server.js & sleep 300 & wait' }, { web: 1 }, { config: { IGNORE_SIGTERM: '1' } });
    await runtime.rollout(t, () => undefined);
    await until(() => (find('web.1')?.rssBytes ?? 0) > 0);
    const started = Date.now();
    await runtime.stop('app', 'web.1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(lines()).toContain('ignoring SIGTERM');
    expect(lines()).toMatch(/Error R12 \(Exit timeout\): web\.1 did not exit within 1 s of SIGTERM; sending SIGKILL/);
    // The formation brings a fresh web.1 back, as Heroku's ps:stop does.
    await until(() => find('web.1')?.state === 'up');
  });

  it('restarts one process, one type or all; web rolls with the new one up before the old one stops', async () => {
    start();
    const t = target(1, { web: 'node server.js', worker: 'sleep 300' }, { web: 2, worker: 1 });
    await runtime.rollout(t, () => undefined);
    const pid = (name: string) => find(name)?.pid;
    const before = { web1: pid('web.1'), web2: pid('web.2'), worker: pid('worker.1') };
    await runtime.restart('app', 'web.2');
    expect(pid('web.1')).toBe(before.web1);
    expect(pid('web.2')).not.toBe(before.web2);
    const order = lines().split('\n').filter((l) => /^web\.2: (Starting|Stopping|State changed)/.test(l));
    expect(order.slice(-3).map((l) => l.replace(/ with command.*| \(.*/, ''))).toEqual(['web.2: Starting process', 'web.2: State changed from starting to up', 'web.2: Stopping process']);
    await runtime.restart('app', 'worker');
    expect(pid('worker.1')).not.toBe(before.worker);
    expect(pid('web.1')).toBe(before.web1);
  });

  it("runs with the Node.js directory its build chose, bound read-only from under a 0700 directory, and on PATH", async () => {
    start();
    const runtimes = join(root, 'private', 'runtimes', 'node-x', 'bin');
    mkdirSync(runtimes, { recursive: true });
    chmodSync(join(root, 'private'), 0o700);
    writeFileSync(join(runtimes, 'node-of-the-build'), '#!/bin/sh\necho "the build\'s runtime as $(id -u)"\n', { mode: 0o755 });
    const t = target(1, { web: 'node server.js' }, { web: 0 }, { runtime: { nodeBinDir: runtimes, healthchecks: {} } });
    let output = '';
    const run = runtime.runOneOff(t, { command: ['sh', '-c', 'node-of-the-build; command -v node-of-the-build; touch /opt/dozen/node/bin/x 2>&1 | sed "s/.*: //"'], onStdout: (c) => (output += Buffer.from(c).toString()), onStderr: (c) => (output += Buffer.from(c).toString()) });
    run.endStdin();
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(output.trim().split('\n')).toEqual(["the build's runtime as 70980", '/opt/dozen/node/bin/node-of-the-build', 'Read-only file system']);
  });

  it('follows each type\'s rollout strategy: stop-first web stops the old process before the new one starts, start-first worker the other way round', async () => {
    start();
    const settings: Record<string, ProcessTypeSettings> = { web: { strategy: 'stop-first' }, worker: { strategy: 'start-first' } };
    const t = target(1, { web: 'node server.js', worker: 'sleep 300' }, { web: 1, worker: 1 }, { settings });
    await runtime.rollout(t, () => undefined);
    const old = { web: find('web.1') as ProcessStatus, worker: find('worker.1') as ProcessStatus };
    const mark = logs.length;
    await runtime.rollout({ ...t, release: 2 }, () => undefined);
    const step = (m: string): string | null => {
      const release = /v(\d+)\)$/.exec(m)?.[1];
      if (m.startsWith('Starting process')) return `start v${release}`;
      if (m.startsWith('Stopping process')) return `stop v${release}`;
      if (m.startsWith('Process exited')) return 'exited';
      return m === 'State changed from starting to up' ? 'up' : null;
    };
    const steps = (name: string) => logs.slice(mark).filter((l) => l.process === name).map((l) => step(l.message)).filter((m) => m !== null);
    // The rollout is done once the new worker has started; the old one may still be stopping.
    await until(() => steps('worker.1').includes('exited'));
    expect(steps('web.1')).toEqual(['stop v1', 'exited', 'start v2', 'up']);
    expect(steps('worker.1')).toEqual(['start v2', 'up', 'stop v1', 'exited']);
    const now = { web: find('web.1') as ProcessStatus, worker: find('worker.1') as ProcessStatus };
    expect(now.web).toMatchObject({ release: 2, state: 'up' });
    expect(now.web.pid).not.toBe(old.web.pid);
    expect(now.worker.pid).not.toBe(old.worker.pid);
    // The router had no web endpoint in between: the old one left before the new one joined.
    expect(routes.events.slice(-2)).toEqual([`drain web.1 ${old.web.port}`, `add web.1 ${now.web.port}`]);
  });

  it('previews a rollout step by step without doing anything', async () => {
    start();
    const t = target(1, { web: 'node server.js', worker: 'sleep 300' }, { web: 1, worker: 1 });
    await runtime.rollout(t, () => undefined);
    const pids = list().map((p) => p.pid);
    const next = { ...t, release: 2, formation: { web: 2, worker: 1 } };
    expect(runtime.preview(next)).toEqual([
      [
        { action: 'start', process: 'web.1', release: 2, reason: null },
        { action: 'start', process: 'web.2', release: 2, reason: null },
        { action: 'stop', process: 'worker.1', release: 1, reason: 'replaced' },
      ],
      [
        { action: 'stop', process: 'web.1', release: 1, reason: 'replaced' },
        { action: 'start', process: 'worker.1', release: 2, reason: null },
      ],
    ]);
    const stopFirst = { ...next, settings: { web: { strategy: 'stop-first' as const } } };
    expect(runtime.preview(stopFirst)[0]).toContainEqual({ action: 'stop', process: 'web.1', release: 1, reason: 'replaced' });
    expect(list().map((p) => p.pid)).toEqual(pids);
  });
});
