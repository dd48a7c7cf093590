import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isAlive, processesUnder, TestPlatform } from './support/platform.js';

const PROBE = 'test/e2e/fixtures/probe';

interface Proc {
  name: string;
  type: string;
  state: string;
  release: number;
  pid: number | null;
  restarts: number;
  startedAt: string | null;
  nextRestartAt: string | null;
  lastExit: string | null;
}

/** Issue 4: crash loops (acceptance 2), stopping whole process trees (6), limits and bad input. */
describe('runtime: crashes, stops, limits', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-faults-'));
  const ok = (args: string[]) => platform.ok(args);
  const fails = (args: string[], code: string) => platform.fails(args, code);
  const api = async <T>(path: string): Promise<T> => {
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    return (await (await fetch(platform.apiUrl + path, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  };
  const ps = async (app: string): Promise<Proc[]> => JSON.parse((await ok(['ps', '-a', app, '--json'])).stdout) as Proc[];
  const logs = async (app: string) => (await ok(['logs', '-n', '1500', '-a', app])).stdout;
  const slugsOf = async (app: string) => {
    const { app: info } = JSON.parse((await ok(['apps:info', '-a', app, '--json'])).stdout) as { app: { id: string } };
    return join(platform.dataDir, 'slugs', info.id);
  };
  const commandsOf = (pids: number[]) =>
    pids.map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        return '';
      }
    });

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_CRASH_BACKOFF_MS: '250', DOZEN_CRASH_BACKOFF_MAX_MS: '2000', DOZEN_MAX_PROCESSES_PER_APP: '8' });
    await ok(['apps:create', 'probe']);
    await ok(['deploy', PROBE, '-a', 'probe']);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('2. a crash loop shows growing delays, capped, in ps and the API, and recovers by itself with a fixing release', async () => {
    await ok(['config:set', 'CRASH=1', '-a', 'probe']);
    await ok(['ps:scale', 'worker=1', '-a', 'probe']);
    // The API, polled: for each crash, when the next start is due, counted from when the crashed run started.
    const delays = new Map<number, number>();
    const keys = (from: number, to: number) => [...delays.keys()].filter((k) => k >= from && k <= to).sort((a, b) => a - b);
    const deadline = Date.now() + 40_000;
    while (!(keys(1, 3).length >= 2 && keys(4, 99).length >= 2) && Date.now() < deadline) {
      const worker = (await api<Proc[]>('/apps/probe/processes')).find((p) => p.name === 'worker.1');
      if (worker?.state === 'crashed' && worker.nextRestartAt && worker.startedAt && !delays.has(worker.restarts)) {
        delays.set(worker.restarts, Date.parse(worker.nextRestartAt) - Date.parse(worker.startedAt));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    // Backoff 250 ms doubling to a 2 s cap (±10 % jitter), plus each run's own time before it
    // crashed: the early delays grow, and the later ones stay at the cap.
    const early = keys(1, 3).map((k) => delays.get(k) as number);
    const capped = keys(4, 99).map((k) => delays.get(k) as number);
    expect(early.length).toBeGreaterThanOrEqual(2);
    expect(capped.length).toBeGreaterThanOrEqual(2);
    expect(early).toEqual([...early].sort((a, b) => a - b));
    expect(Math.max(...early)).toBeLessThan(Math.min(...capped));
    for (const ms of capped) {
      expect(ms).toBeGreaterThanOrEqual(1800);
      expect(ms).toBeLessThan(2000 + 1500);
    }
    const announced = [...(await logs('probe')).matchAll(/dozen\[worker\.1\]: .*restarting (now|in \d+ (?:ms|s)) \(crash (\d+) in a row\)/g)].map((m) => m[1]);
    expect(announced[0]).toBe('now');
    expect(announced[1]).toMatch(/^in (2\d\d|300) ms$/);
    expect(announced.slice(4, 6)).toEqual(['in 2 s', 'in 2 s']);
    await eventually(async () => expect((await ok(['ps', '-a', 'probe'])).stdout).toMatch(/worker\.1:\s+crashed, restart in [0-2]s\s+v\d+.*\d+ restarts\s+last exit: exit code 1/), 15_000, 50);

    // Fixed: the new worker prints 'working' only once past the point where it would crash; wait for
    // that line (not for a guessed 1.5 s), then it must be up with its crash history gone.
    const working = async () => (await ok(['logs', '-n', '1500', '-a', 'probe', '-p', 'worker.1', '-s', 'app'])).stdout.match(/app\[worker\.1\]: worker\.1 working/g)?.length ?? 0;
    const workedBefore = await working();
    await ok(['config:set', 'CRASH=0', '-a', 'probe']);
    await eventually(async () => expect(await working()).toBe(workedBefore + 1), 15_000, 50);
    expect((await ps('probe')).find((p) => p.name === 'worker.1')).toMatchObject({ state: 'up', restarts: 0, lastExit: null });
  });

  it('6. SIGTERM reaches every child started through sh -c; an app that ignores it is killed after its grace, group-wide', async () => {
    await ok(['ps:type', 'stubborn', '--grace', '1', '-a', 'probe']);
    await ok(['ps:scale', 'family=1', 'stubborn=1', '-a', 'probe']);
    const slugs = await slugsOf('probe');
    await eventually(async () => {
      expect(commandsOf(processesUnder(slugs)).filter((c) => c.startsWith('node child.js'))).toHaveLength(2);
      expect(commandsOf(processesUnder(slugs))).toContain('sleep 300');
    });
    await ok(['ps:scale', 'family=0', 'stubborn=0', '-a', 'probe']);
    await eventually(async () => {
      const text = await logs('probe');
      for (const child of ['a', 'b']) {
        expect(text).toContain(`app[family.1]: child ${child} got SIGTERM`);
        expect(text).toContain(`app[family.1]: child ${child} stopped cleanly`);
      }
      expect(text).toContain('app[stubborn.1]: stubborn: ignoring SIGTERM');
      expect(text).toMatch(/dozen\[stubborn\.1\]: Error R12 \(Exit timeout\): stubborn\.1 did not exit within 1 s of SIGTERM; sending SIGKILL/);
    });
    await eventually(async () => {
      const left = commandsOf(processesUnder(slugs));
      expect(left.filter((c) => c.includes('child.js') || c.includes('stubborn') || c === 'sleep 300')).toEqual([]);
    });
    expect((await ps('probe')).map((p) => p.type).filter((t) => t === 'family' || t === 'stubborn')).toEqual([]);
  });

  it('scaling to a negative or absurd count, past the per-app limit, or an unknown type or process fails with its code', async () => {
    await fails(['ps:scale', 'web=100000', '-a', 'probe'], 'FORMATION_INVALID');
    await fails(['ps:scale', 'web=-5', '-a', 'probe'], 'FORMATION_INVALID');
    const limit = await fails(['ps:scale', 'web=5', 'worker=4', '-a', 'probe'], 'FORMATION_INVALID');
    expect(limit.stderr).toContain('Cannot scale probe to 9 processes in all: an app may run at most 8');
    await fails(['ps:scale', 'clock=1', '-a', 'probe'], 'PROCESS_TYPE_UNKNOWN');
    await fails(['ps:restart', 'clock', '-a', 'probe'], 'PROCESS_TYPE_UNKNOWN');
    const missing = await fails(['ps:stop', 'web.9', '-a', 'probe'], 'PROCESS_NOT_FOUND');
    expect(missing.stderr).toContain('There is no process "web.9"; running: web.1, worker.1.');
    await fails(['ps:restart', 'web.9', '-a', 'probe'], 'PROCESS_NOT_FOUND');
    await fails(['ps:type', 'clock', '--grace', '3', '-a', 'probe'], 'PROCESS_TYPE_UNKNOWN');
    await fails(['ps:type', 'web', '--grace', '99999', '-a', 'probe'], 'INVALID_REQUEST');
    await fails(['ps:type', 'web', '--strategy', 'sideways', '-a', 'probe'], 'CLI_USAGE');
    await fails(['run', '--timeout', 'soon', '-a', 'probe', '--', 'true'], 'CLI_USAGE');
    expect((await ps('probe')).map((p) => p.name)).toEqual(['web.1', 'worker.1']);
  });

  it('a release whose web process binds the wrong port, or exits 0 at once, never replaces the serving one', async () => {
    const serving = JSON.parse((await platform.http('probe')).body) as { release: string };
    await ok(['ps:type', 'web', '--boot-timeout', '2', '-a', 'probe']);
    const wrong = await fails(['config:set', 'WRONG_PORT=1', '-a', 'probe'], 'RELEASE_BOOT_FAILED');
    expect(wrong.stderr).toMatch(/web\.1 did not bind PORT \d+ within 2 s/);
    // A deploy also prints the process's last lines.
    const elsewhere = join(scratch, 'wrong-port');
    cpSync(PROBE, elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'Procfile'), 'web: WRONG_PORT=1 node server.js\n');
    const deploy = await fails(['deploy', elsewhere, '-a', 'probe'], 'RELEASE_BOOT_FAILED');
    expect(deploy.stdout).toMatch(/Last output of web\.1:[\s\S]*\| listening on \d+[\s\S]*Error R10 \(Boot timeout\): web\.1 did not bind PORT \d+ within 2 s/);
    const quits = await fails(['config:set', 'EXIT_AT_ONCE=1', '-a', 'probe'], 'RELEASE_BOOT_FAILED');
    expect(quits.stderr).toMatch(/web\.1 exited with exit code 0 before binding PORT \d+/);
    expect(JSON.parse((await platform.http('probe')).body)).toMatchObject({ release: serving.release });
    const types = JSON.parse((await ok(['ps:type', '-a', 'probe', '--json'])).stdout) as { type: string; bootTimeoutSeconds: number; custom: string[] }[];
    expect(types.find((t) => t.type === 'web')).toMatchObject({ bootTimeoutSeconds: 2, custom: ['bootTimeoutSeconds'] });
    await ok(['ps:type', 'web', '--boot-timeout', 'default', '-a', 'probe']);
  });

  it('ps:scale --dry-run and deploy --dry-run print the plan and change nothing', async () => {
    const before = await ps('probe');
    const scale = await ok(['ps:scale', 'web=2', 'worker=0', '--dry-run', '-a', 'probe']);
    expect(scale.stdout).toMatch(/1\. now:\n\s+start\s+web\.2 v\d+\n\s+stop\s+worker\.1 v\d+ \(scaled down\)/);
    expect(scale.stdout).toContain('Nothing was changed (dry run).');
    const releases = (await ok(['releases', '-a', 'probe', '--json'])).stdout;
    const deploy = await ok(['deploy', PROBE, '--dry-run', '-a', 'probe']);
    expect(deploy.stdout).toMatch(/1\. now:\n\s+start\s+web\.1 v\d+\n\s+stop\s+worker\.1 v\d+ \(replaced\)\n\s+2\. then, once the step above has taken effect:\n\s+stop\s+web\.1 v\d+ \(replaced\)\n\s+start\s+worker\.1 v\d+/);
    expect((await ok(['releases', '-a', 'probe', '--json'])).stdout).toBe(releases);
    expect((await ps('probe')).map((p) => [p.name, p.pid])).toEqual(before.map((p) => [p.name, p.pid]));
  });

  it('ps:stop of a formation process: SIGTERM, then the formation starts a fresh one; of a one-off: gone for good', async () => {
    const before = (await ps('probe')).find((p) => p.name === 'web.1') as Proc;
    expect(before).toMatchObject({ state: 'up' });
    expect((await ok(['ps:stop', 'web.1', '-a', 'probe'])).stdout).toContain('Stopped web.1 of probe.');
    expect(isAlive(before.pid as number)).toBe(false);
    const fresh = await eventually(async () => {
      const web = (await ps('probe')).find((p) => p.name === 'web.1');
      expect(web).toMatchObject({ state: 'up', release: before.release });
      expect(web?.pid).not.toBe(before.pid);
      return web as Proc;
    });
    expect(isAlive(fresh.pid as number)).toBe(true);
    expect(JSON.parse((await platform.http('probe')).body)).toMatchObject({ process: 'web.1', pid: expect.any(Number) });
    const text = await logs('probe');
    expect(text).toMatch(/dozen\[web\.1\]: Stopping process \(stopped by ps:stop, v\d+\)/);
    // The probe's web exits by itself on SIGTERM (exit code 0), well within the grace period.
    expect(text.slice(text.lastIndexOf('Stopping process (stopped by ps:stop'))).toMatch(/dozen\[web\.1\]: Process exited with exit code 0/);

    const formation = (await ps('probe')).map((p) => p.name);
    const detached = await ok(['run', '--detached', '-a', 'probe', '--', 'sleep', '300']);
    const name = /detached as (run\.\d+)/.exec(detached.stdout)?.[1] as string;
    const run = await eventually(async () => {
      const found = (await ps('probe')).find((p) => p.name === name);
      expect(found?.pid).toEqual(expect.any(Number));
      return found as Proc;
    });
    expect((await ok(['ps:stop', name, '-a', 'probe'])).stdout).toContain(`Stopped ${name} of probe.`);
    expect(isAlive(run.pid as number)).toBe(false);
    // Never restarted: once its exit is logged (where a restart would be decided), it is not listed
    // again and the formation is untouched. (In bubblewrap the sandbox's init reports the SIGTERM as
    // status 143.)
    const exited = new RegExp(`dozen\\[${name.replace('.', '\\.')}\\]: Process exited with (status 143|signal SIGTERM)`);
    await eventually(async () => expect(await logs('probe')).toMatch(exited), 15_000, 50);
    expect((await ps('probe')).map((p) => p.name)).toEqual(formation);
    expect(await logs('probe')).not.toMatch(new RegExp(`dozen\\[${name.replace('.', '\\.')}\\]: .*restarting`));
  });

  it('ps:restart without an argument restarts every process: new pids, all up again', async () => {
    const before = await ps('probe');
    expect(before.map((p) => [p.name, p.state])).toEqual([['web.1', 'up'], ['worker.1', 'up']]);
    expect((await ok(['ps:restart', '-a', 'probe'])).stdout).toContain('Restarted all processes of probe.');
    const after = await eventually(async () => {
      const now = await ps('probe');
      expect(now.map((p) => [p.name, p.state])).toEqual([['web.1', 'up'], ['worker.1', 'up']]);
      return now;
    });
    for (const process of before) {
      expect(after.find((p) => p.name === process.name)?.pid).not.toBe(process.pid);
      expect(isAlive(process.pid as number)).toBe(false);
    }
    expect(JSON.parse((await platform.http('probe')).body)).toMatchObject({ process: 'web.1', pid: expect.any(Number) });
  });

  it('ps:type --strategy changes the real rollout order: stop-first web stops the old process before the new one starts', async () => {
    const order = (text: string, name: string) => {
      const at = (what: string) => text.lastIndexOf(`dozen[${name}]: ${what}`);
      return { start: at('Starting process'), stop: at('Stopping process'), exited: at('Process exited') };
    };
    // The default for web, start-first: the new one starts before the old one stops.
    await ok(['ps:restart', 'web', '-a', 'probe']);
    // The restart is done once the new one is up; the old one may still be finishing.
    const startFirst = await eventually(async () => {
      const seen = order(await logs('probe'), 'web.1');
      expect(seen.stop).toBeLessThan(seen.exited);
      return seen;
    });
    expect(startFirst.start).toBeLessThan(startFirst.stop);

    await ok(['ps:type', 'web', '--strategy', 'stop-first', '-a', 'probe']);
    const before = (await ps('probe')).find((p) => p.name === 'web.1') as Proc;
    await ok(['ps:restart', 'web', '-a', 'probe']);
    const stopFirst = order(await logs('probe'), 'web.1');
    expect(stopFirst.stop).toBeGreaterThan(startFirst.exited);
    expect(stopFirst.stop).toBeLessThan(stopFirst.exited);
    expect(stopFirst.exited).toBeLessThan(stopFirst.start);
    const after = (await ps('probe')).find((p) => p.name === 'web.1') as Proc;
    expect(after).toMatchObject({ state: 'up' });
    expect(after.pid).not.toBe(before.pid);
    const types = JSON.parse((await ok(['ps:type', 'web', '-a', 'probe', '--json'])).stdout) as { type: string; strategy: string; custom: string[] }[];
    expect(types).toEqual([expect.objectContaining({ type: 'web', strategy: 'stop-first', custom: ['strategy'] })]);
    await ok(['ps:type', 'web', '--strategy', 'default', '-a', 'probe']);
  });

  it('6. no process survives apps:destroy: formation processes, one-offs and the daemons they started', async () => {
    await ok(['ps:scale', 'web=2', 'worker=1', 'family=1', '-a', 'probe']);
    await ok(['run', '--detached', '-a', 'probe', '--', 'sh', '-c', 'setsid sleep 300 & sleep 300']);
    const slugs = await slugsOf('probe');
    const pids = await eventually(async () => {
      const found = processesUnder(slugs);
      expect(commandsOf(found).filter((c) => c === 'sleep 300')).toHaveLength(2);
      expect(commandsOf(found).filter((c) => c.startsWith('node '))).toHaveLength(5);
      return found;
    });
    await ok(['apps:destroy', 'probe', '--confirm', 'probe']);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(slugs)).toBe(false);
  });
});
