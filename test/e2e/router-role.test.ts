import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirLayout, slugPath } from '../../packages/contracts/src/node/index.js';
import type { ProcessStatus } from '../../packages/platform/src/core/model.js';
import { EdgeClient } from '../../packages/platform/src/edge-link/edge-client.js';
import { startRouter, type RoleProcess } from './support/edge-foreground.js';

// The router role (`dozen serve router`, issue 19): the compiled edge (dist/edge-main.js) in the
// foreground at its data dir, with a real app process, and what SIGTERM does to it.

const SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('router role: the edge in the foreground', () => {
  let dataDir = '';
  let router: RoleProcess | null = null;

  afterEach(() => {
    if (router?.child.exitCode === null) router.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without --stop-apps, SIGTERM is refused (the app keeps running); a second one within 10 s stops every app and exits 0', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dozen-router-role-'));
    const dirs = dataDirLayout(dataDir);
    const slugDir = slugPath(dirs, 'app-1', 'slug-1');
    mkdirSync(slugDir, { recursive: true });
    writeFileSync(join(slugDir, 'server.js'), SERVER);
    router = await startRouter(dataDir, false);
    const client = await EdgeClient.connect(dirs.edgeSocket, () => undefined);
    const uid = process.getuid?.() ?? 0;
    const target = { app: 'tiny', appId: 'app-1', release: 1, slugId: 'slug-1', config: {}, processTypes: { web: 'node server.js' }, formation: { web: 1 }, runtime: { nodeBinDir: null, healthchecks: {} }, user: { uid, gid: uid } };
    client.notify('converge', { app: 'tiny', target });
    const upPid = async () => (await client.call<ProcessStatus[]>('list', { app: 'tiny' })).find((p) => p.state === 'up')?.pid ?? null;
    await expect.poll(upPid, { timeout: 20_000 }).not.toBeNull();
    const pid = (await upPid()) as number;

    router.child.kill('SIGTERM');
    await expect.poll(() => router?.output() ?? '', { timeout: 5_000 }).toContain('SIGTERM refused');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(router.child.exitCode).toBeNull();
    expect(alive(pid)).toBe(true);
    expect(await upPid()).toBe(pid);

    router.child.kill('SIGTERM');
    expect(await router.exited).toBe(0);
    expect(router.output()).toContain('stopping the edge: app processes get SIGTERM');
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
  }, 60_000);

  it('with --stop-apps, one SIGTERM stops the edge and exits 0', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dozen-router-role-'));
    router = await startRouter(dataDir, true);
    router.child.kill('SIGTERM');
    expect(await router.exited).toBe(0);
    expect(router.output()).not.toContain('refused');
  }, 30_000);
});
