import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, httpGet, TestPlatform } from './support/platform.js';

const FIXTURE = 'test/e2e/fixtures/limits';
const MB = 1024 * 1024;
const A = 'greedy';
const B = 'calm';

interface Proc {
  name: string;
  pid: number | null;
  state: string;
  lastExit: string | null;
  rssBytes: number | null;
  size: string | null;
  memoryQuotaBytes: number | null;
}

/**
 * Issue 12, limits: each process in its own cgroup (v1 on these machines), sized per process
 * type. A small test-only size (DOZEN_EXTRA_SIZES tiny:96: quota 96 MB, killed at 192 MB,
 * /tmp 96 MB, 256 pids) keeps the allocations to tens of MB.
 */
describe('runtime: every process in its own box (limits)', () => {
  let platform: TestPlatform;
  const ok = (args: string[]) => platform.ok(args);
  const api = async <T>(path: string): Promise<T> => {
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    return (await (await fetch(platform.apiUrl + path, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  };
  const proc = async (app: string, name: string) => (await api<Proc[]>(`/apps/${app}/processes`)).find((p) => p.name === name);
  const logs = async (app: string) => (await ok(['logs', '-n', '2000', '-a', app])).stdout;
  /** Waits for a line of A's log matching `pattern`. */
  const logMatch = (pattern: RegExp) =>
    eventually(async () => {
      const found = pattern.exec(await logs(A));
      if (!found) throw new Error(`no ${pattern} in the log yet`);
      return found;
    }, 30_000);
  const answers = async (app: string) => {
    const response = await httpGet(platform.routerPort, `${app}.localhost`, '/');
    return response.status === 200 && response.body === `${app} ok\n`;
  };
  /** The platform's own cgroup folder in the memory hierarchy, from its start log. */
  const memoryRoot = () => {
    const match = /under (\/sys\/fs\/cgroup)\/\{memory,pids,cpu\}\/(dozen\/[0-9a-f]+)/.exec(platform.logs);
    if (!match) throw new Error(`no cgroup v1 line in the platform log:\n${platform.logs}`);
    return join(match[1] as string, 'memory', match[2] as string);
  };
  /** Sequential requests to `app` through the router, each one's time in ms. */
  const latencies = async (app: string, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const started = process.hrtime.bigint();
      expect(await answers(app)).toBe(true);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return times;
  };
  const groups = () => (existsSync(memoryRoot()) ? readdirSync(memoryRoot()).filter((name) => statSync(join(memoryRoot(), name)).isDirectory()) : []);

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_EXTRA_SIZES: 'tiny:96', DOZEN_MEMORY_SAMPLE_MS: '200', DOZEN_CRASH_BACKOFF_MS: '5000', DOZEN_BUILD_MEMORY_MB: '256' });
    for (const app of [A, B]) {
      await ok(['apps:create', app]);
      await ok(['deploy', FIXTURE, '-a', app]);
    }
    expect(await answers(B)).toBe(true);
  }, 180_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  it('says at start which cgroups it uses and what they enforce', () => {
    expect(platform.logs).toContain('Process limits: cgroup v1 (hybrid layout): memory, pids and CPU weight enforced per process');
    expect(existsSync(memoryRoot())).toBe(true);
  });

  it('ps:resize validates: an unknown size lists the known ones, a size over the host memory is refused; ps:resize and app.json set a type\'s size', async () => {
    const unknown = await platform.fails(['ps:resize', 'hog=huge', '-a', A], 'PROCESS_SIZE_UNKNOWN');
    expect(unknown.stderr).toContain('"huge"');
    for (const size of ['eco', 'basic', 'standard-1x', 'standard-2x', 'performance-m', 'performance-l', 'tiny']) expect(unknown.stderr).toContain(size);
    const hostMb = Math.floor(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) / 1024);
    // performance-l (14 GB) only fits hosts with more memory; the refusal names both figures.
    if (hostMb < 14336) {
      const big = await platform.fails(['ps:resize', 'hog=performance-l', '-a', A], 'PROCESS_SIZE_TOO_LARGE');
      expect(big.stderr).toContain(`${hostMb} MB`);
    }
    await ok(['ps:resize', 'hog=tiny', '-a', A]);
    const types = JSON.parse((await ok(['ps:type', '-a', A, '--json'])).stdout) as { type: string; size: string }[];
    expect(types.find((t) => t.type === 'hog')?.size).toBe('tiny');
    // app.json `formation.tmpfill.size`.
    expect(types.find((t) => t.type === 'tmpfill')?.size).toBe('tiny');
    // A running type restarts at its new size.
    const before = (await proc(B, 'web.1'))?.pid;
    expect((await ok(['ps:resize', 'web=standard-2x', '-a', B])).stdout).toContain(`Resized ${B}: web=standard-2x (restarted).`);
    const resized = await proc(B, 'web.1');
    expect(resized).toMatchObject({ state: 'up', size: 'standard-2x', memoryQuotaBytes: 1024 * MB });
    expect(resized?.pid).not.toBe(before);
    await ok(['ps:type', 'web', '--size', 'default', '-a', B]);
    expect(await proc(B, 'web.1')).toMatchObject({ size: 'standard-1x', memoryQuotaBytes: 512 * MB });
    expect(await answers(B)).toBe(true);
    expect(types.find((t) => t.type === 'web')?.size).toBe('standard-1x');
  });

  it('2. over its quota a process gets R14 lines, past twice it R15 and is killed; ps and the API say why; B keeps answering', async () => {
    await ok(['config:set', 'HOLD_MB=100', 'HOLD_SECONDS=4', '-a', A]);
    await ok(['ps:scale', 'hog=1', '-a', A]);
    let bFailures = 0;
    let bRequests = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        bRequests += 1;
        if (!(await answers(B).catch(() => false))) bFailures += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // While it holds 100 MB plus Node's own: over the 96 MB quota, shown against it.
    const holding = await eventually(async () => {
      const hog = await proc(A, 'hog.1');
      if (!hog || hog.rssBytes === null || hog.rssBytes <= 96 * MB) throw new Error(`hog not over its quota yet: ${JSON.stringify(hog)}`);
      return hog;
    }, 20_000);
    expect(holding.memoryQuotaBytes).toBe(96 * MB);
    expect(holding.size).toBe('tiny');
    const psLine = (await ok(['ps', '-a', A])).stdout.split('\n').find((line) => line.startsWith('hog.1'));
    expect(psLine).toMatch(/MB \/ 96 MB \(\d+%, tiny\)/);
    const r14 = await eventually(async () => {
      const text = await logs(A);
      if (!text.includes('Error R14 (Memory quota exceeded)')) throw new Error('no R14 yet');
      return text;
    }, 10_000);
    expect(r14).toMatch(/dozen\[hog\.1\]: Process running mem=\d+M\(\d+\.\d%\)/);
    // R14 came while it held its memory, before it grew towards the hard limit.
    expect(r14.indexOf('Error R14')).toBeLessThan(r14.indexOf('hog growing') === -1 ? Infinity : r14.indexOf('hog growing'));
    const killed = await eventually(async () => {
      const hog = await proc(A, 'hog.1');
      if (hog?.lastExit !== 'memory quota') throw new Error(`hog not killed for memory yet: ${JSON.stringify(hog)}`);
      return hog;
    }, 30_000);
    expect(killed.name).toBe('hog.1');
    const text = await logs(A);
    expect(text).toContain('hog.1 exited with memory quota; state changed to crashed');
    expect(text).toContain('Error R15 (Memory quota vastly exceeded): hog.1 reached 192M, twice the 96M quota of size tiny, and was killed');
    expect(text.indexOf('Error R14')).toBeLessThan(text.indexOf('Error R15'));
    expect((await ok(['ps', '-a', A])).stdout).toContain('last exit: memory quota');
    polling = false;
    await poller;
    await ok(['ps:scale', 'hog=0', '-a', A]);
    expect(bRequests).toBeGreaterThan(10);
    expect(bFailures).toBe(0);
  }, 90_000);

  it('3. a fork loop in A stops at its pids limit; B and a one-off in B still start within 2 s', async () => {
    await ok(['ps:scale', 'forker=1', '-a', A]);
    const match = await logMatch(/forker refused after (\d+) processes: (\w+)/);
    const refused = { started: Number(match[1]), code: match[2] };
    // 256 pids, Node's own threads included.
    expect(refused.code).toBe('EAGAIN');
    expect(refused.started).toBeLessThan(256);
    expect(refused.started).toBeGreaterThan(100);
    let started = Date.now();
    const oneOff = await ok(['run', '-a', B, '--', 'echo', 'one-off in b']);
    expect(oneOff.stdout).toContain('one-off in b');
    expect(Date.now() - started).toBeLessThan(2000);
    started = Date.now();
    await ok(['ps:scale', 'web=2', '-a', B]);
    await eventually(async () => {
      const web2 = await proc(B, 'web.2');
      if (web2?.state !== 'up') throw new Error('web.2 of b is not up yet');
    }, 5000, 50);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await answers(B)).toBe(true);
    await ok(['ps:scale', 'forker=0', 'web=1', '-a', A]);
    // A one-off has its own box too: the default size (256 pids), or `run --size`.
    const run = await ok(['run', '-a', A, '--no-tty', '--', 'sh', '-c', 'FORKER_EXIT=1 node forker.js']);
    expect(run.stdout).toMatch(/forker refused after \d+ processes: EAGAIN/);
    expect(Number(/after (\d+)/.exec(run.stdout)?.[1])).toBeLessThan(256);
    const big = await ok(['run', '-a', A, '--size', 'standard-2x', '--no-tty', '--', 'sh', '-c', 'FORKER_EXIT=1 node forker.js']);
    expect(Number(/forker refused after (\d+) processes: EAGAIN/.exec(big.stdout)?.[1])).toBeGreaterThan(256);
    expect(Number(/after (\d+)/.exec(big.stdout)?.[1])).toBeLessThan(512);
    expect((await platform.fails(['run', '-a', A, '--size', 'huge', '--', 'true'], 'PROCESS_SIZE_UNKNOWN')).stderr).toContain('standard-2x');
    await ok(['ps:scale', 'web=1', '-a', B]);
  }, 60_000);

  it('5. writing past /tmp\'s size fails with ENOSPC inside A; its tmpfs pages count against its quota, and nothing more is used', async () => {
    await ok(['ps:scale', 'tmpfill=1', '-a', A]);
    const match = await logMatch(/tmpfill stopped after (\d+) MB: (\w+)/);
    expect(match[2]).toBe('ENOSPC');
    // /tmp is 96 MB: the write stops there (a block short at most).
    expect(Number(match[1])).toBeGreaterThanOrEqual(95);
    expect(Number(match[1])).toBeLessThanOrEqual(96);
    const tmpfill = await proc(A, 'tmpfill.1');
    expect(tmpfill?.state).toBe('up');
    // ps counts the 96 MB of tmpfs pages the process wrote (charged to its cgroup), and no more than /tmp plus Node.
    expect(tmpfill?.rssBytes).toBeGreaterThan(96 * MB);
    expect(tmpfill?.rssBytes).toBeLessThan(192 * MB);
    await ok(['ps:scale', 'tmpfill=0', '-a', A]);
  }, 60_000);

  it('4. a CPU spinner on both cores in A: B\'s p99 through the router stays within a generous bound of its idle p99', async () => {
    await latencies(B, 50);
    const idle = percentile(await latencies(B, 300), 0.99);
    // eco: CPU weight 50, so cpu.shares 512 on v1 (1024 is a default process, B's web here).
    await ok(['ps:resize', 'spinner=eco', '-a', A]);
    await ok(['ps:scale', 'spinner=1', '-a', A]);
    await logMatch(/spinner busy on 2 threads/);
    const pid = (await api<{ name: string; pid: number | null }[]>(`/apps/${A}/processes`)).find((p) => p.name === 'spinner.1')?.pid;
    const cpuGroup = /^\d+:cpu:(.+)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1];
    expect(cpuGroup).toMatch(/^\/dozen\/[0-9a-f]+\/p\d+-/);
    expect(readFileSync(`/sys/fs/cgroup/cpu${cpuGroup}/cpu.shares`, 'utf8').trim()).toBe('512');
    await new Promise((r) => setTimeout(r, 500));
    const busy = percentile(await latencies(B, 300), 0.99);
    await ok(['ps:scale', 'spinner=0', '-a', A]);
    console.log(`B's p99 through the router: idle ${idle.toFixed(1)} ms, A spinning on 2 threads ${busy.toFixed(1)} ms (${(busy / idle).toFixed(1)}x)`);
    // The target is 3x (npm run bench -- limits prints it beside a run without cgroups:
    // on these 2-core machines CFS alone kept B's p99 there too); the cores are shared with other
    // work, so the test allows 10x or 50 ms.
    expect(busy).toBeLessThan(Math.max(10 * idle, 50));
  }, 60_000);

  it('a build command past the build memory limit is killed, and the build output says why', async () => {
    await ok(['apps:create', 'hungry-build']);
    const result = await platform.fails(['deploy', 'test/e2e/fixtures/limits-build', '-a', 'hungry-build'], 'BUILD_FAILED');
    const output = result.stdout + result.stderr;
    expect(output).toContain('build holds 128 MB');
    expect(output).not.toContain('build allocated 2 GB without being stopped');
    expect(output).toContain('Build command killed: it reached the build memory limit of 256 MB (DOZEN_BUILD_MEMORY_MB)');
    await ok(['apps:destroy', 'hungry-build', '--confirm', 'hungry-build']);
  }, 120_000);

  it('removes each process\'s cgroup when it ends; a kill -9 of the platform leaves them serving; a kill -9 of the edge: a new edge removes what was left', async () => {
    // a: web; b: web. One group each, nothing left of the hog, forker and tmpfill.
    await eventually(async () => {
      if (groups().length !== 2) throw new Error(`groups: ${groups().join(', ')}`);
    }, 10_000);
    await ok(['run', '-a', B, '--', 'true']);
    expect(groups()).toHaveLength(2);
    await platform.stop('SIGKILL');
    const kept = groups().sort();
    expect(kept).toHaveLength(2);
    platform = await platform.restart();
    expect(groups().sort()).toEqual(kept);
    expect(await answers(B)).toBe(true);

    // The edge killed: its sandboxes die with it, their groups stay; the platform starts a new edge.
    const edge = platform.edgePid as number;
    process.kill(edge, 'SIGKILL');
    await eventually(async () => {
      if (platform.edgePid === edge) throw new Error('no new edge yet');
      if (!(await answers(B))) throw new Error('b does not answer after the new edge started');
      if (groups().length !== 2) throw new Error(`groups: ${groups().join(', ')}`);
    }, 30_000);
    expect(platform.logs).toContain('Started a new edge');
    expect(readFileSync(join(platform.dataDir, 'run', 'edge.log'), 'utf8')).toMatch(/removed 2 left over/);
    expect(groups().sort()).not.toEqual(kept);
    // Stopping everything removes the platform's own folder too: nothing of it is left in the hierarchies.
    await ok(['down', '--stop-apps']);
    expect(await platform.exited()).toBe(0);
    expect(existsSync(memoryRoot())).toBe(false);
  }, 90_000);
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}
