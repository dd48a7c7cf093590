import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { steadyLoad } from '../../bench/support/steady-load.js';
import { eventually, processesUnder, ROOT, TestPlatform } from './support/platform.js';

// Issue 15, acceptance 1 and 2: the apps outlive the control plane. Under a steady load through
// the router (kept-alive and new connections, one open WebSocket), restarts, an upgrade and a
// kill -9 of the platform fail no request and keep the same app processes.

interface Proc {
  name: string;
  pid: number | null;
  state: string;
  startedAt: string | null;
}

describe('the platform restarts, upgrades and dies under load; its apps keep serving', () => {
  let platform: TestPlatform;
  let upgrade = '';

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await platform.ok(['apps:create', 'live']);
    await platform.ok(['deploy', 'examples/node-probe', '-a', 'live']);
    await platform.ok(['ps:scale', 'web=2', '-a', 'live']);
    await eventually(async () => expect(await processes()).toHaveLength(2));
    upgrade = newerBuild();
  });
  afterAll(async () => {
    await platform?.destroy();
    if (upgrade) rmSync(upgrade, { recursive: true, force: true });
  });

  const processes = async () => JSON.parse((await platform.ok(['ps', '-a', 'live', '--json'])).stdout) as Proc[];

  it('1. three restarts and an upgrade: 0 failed requests, the same app pids, the WebSocket still open, ps shows their uptime', async () => {
    const slugs = join(platform.dataDir, 'slugs');
    const before = await processes();
    const pids = processesUnder(slugs).sort();
    const socket = await openSocket(platform.routerPort);
    const load = steadyLoad({ port: platform.routerPort, host: 'live.localhost' });

    for (let i = 0; i < 3; i++) {
      platform = await platform.restart();
      expect(platform.logs).toContain('Adopted the running edge');
    }
    platform = await platform.restart(join(upgrade, 'packages', 'cli', 'bin', 'dozen.js'));
    expect(await (await fetch(`${platform.apiUrl}/healthz`)).json()).toMatchObject({ version: '0.1.1-upgrade' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stats = await load.stop();

    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(100);
    expect(await socket.echo('still here')).toBe('still here');
    socket.close();
    expect(processesUnder(slugs).sort()).toEqual(pids);
    const after = await processes();
    expect(after.map((p) => [p.name, p.pid, p.state, p.startedAt])).toEqual(before.map((p) => [p.name, p.pid, 'up', p.startedAt]));
    expect((await platform.ok(['ps', '-a', 'live'])).stdout).toMatch(/web\.1:\s+up \d+s/);
    console.log(`restarts and upgrade: ${stats.ok} answers, ${stats.failed} failed, longest gap ${stats.longestGapMs} ms`);
  });

  it('2. kill -9 of the platform: the app keeps answering through the router, the next start adopts the same processes (no duplicates)', async () => {
    const slugs = join(platform.dataDir, 'slugs');
    const pids = processesUnder(slugs).sort();
    const load = steadyLoad({ port: platform.routerPort, host: 'live.localhost' });
    expect((await platform.stop('SIGKILL')).signal).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const whileDown = load.stats.ok;
    await platform.boot();
    expect(platform.logs).toContain('Adopted the running edge');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stats = await load.stop();

    expect(stats.errors).toEqual([]);
    expect(whileDown).toBeGreaterThan(20);
    expect(processesUnder(slugs).sort()).toEqual(pids);
    expect((await processes()).map((p) => p.state)).toEqual(['up', 'up']);
    console.log(`kill -9: ${stats.ok} answers, ${stats.failed} failed, longest gap ${stats.longestGapMs} ms`);
  });
});

/**
 * A second build of the platform beside this one (its own packages, a newer version number), the
 * way an upgrade installs one: the same libraries, linked.
 */
function newerBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-upgrade-'));
  for (const name of ['contracts', 'platform', 'cli']) {
    cpSync(join(ROOT, 'packages', name), join(dir, 'packages', name), { recursive: true, filter: (source) => !source.includes('/src/') });
  }
  const version = join(dir, 'packages', 'contracts', 'dist', 'version.js');
  writeFileSync(version, readFileSync(version, 'utf8').replace(/DOZEN_VERSION = '[^']*'/, "DOZEN_VERSION = '0.1.1-upgrade'"));
  mkdirSync(join(dir, 'node_modules', '@dozen'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@dozen') symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  for (const name of ['contracts', 'platform', 'cli']) symlinkSync(join('..', '..', 'packages', name), join(dir, 'node_modules', '@dozen', name));
  return dir;
}

/** A WebSocket to the app through the router, answering echoes. */
async function openSocket(port: number): Promise<{ echo(text: string): Promise<string>; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { host: 'live.localhost' } });
  const messages: string[] = [];
  const waiting: ((text: string) => void)[] = [];
  ws.on('message', (data) => {
    const next = waiting.shift();
    if (next) next(String(data));
    else messages.push(String(data));
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const receive = () => new Promise<string>((resolve) => (messages.length > 0 ? resolve(messages.shift() as string) : waiting.push(resolve)));
  expect(JSON.parse(await receive())).toHaveProperty('hello');
  return {
    echo: (text) => {
      ws.send(text);
      return receive();
    },
    close: () => ws.close(),
  };
}
