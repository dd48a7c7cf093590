import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestPlatform } from './support/platform.js';

interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  evidence: string[];
  hint: string;
}
interface Evidence {
  app: string;
  release: number;
  evidence: { process: string; kind: string; value: Record<string, unknown>; at: string }[];
  checks: Check[];
}

const FIXTURES = 'test/fixtures/apps';
const RUNTIME_CHECKS = ['VI.writes-outside-tmp', 'VII.binds-port', 'VIII.no-daemonizing', 'IX.boot-time', 'IX.graceful-stop', 'XI.logs-to-stdout'];

/**
 * Issue 18, acceptance 2: the runtime's evidence is real. Each fixture breaks one rule; the
 * platform measures it from /proc and the sandbox, stores it with the release, and the runtime
 * check of that rule (and no other) fails. examples/node-web fails none.
 */
describe('scorecard: runtime evidence', () => {
  let platform: TestPlatform;
  const ok = (args: string[]) => platform.ok(args);
  const evidence = async (app: string, version: number): Promise<Evidence> => {
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    const response = await fetch(`${platform.apiUrl}/apps/${app}/releases/${version}/evidence`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Evidence;
  };
  const check = (found: Evidence, id: string) => found.checks.find((c) => c.id === id) as Check;
  /** The checks that fail or warn, other than `own`. */
  const othersFailing = (found: Evidence, own: string) => found.checks.filter((c) => c.id !== own && (c.status === 'fail' || c.status === 'warn')).map((c) => `${c.id}: ${c.evidence.join('; ')}`);
  const deploy = async (app: string, dir: string) => {
    await ok(['apps:create', app]);
    return platform.cli(['deploy', dir, '-a', app]);
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_BOOT_TIMEOUT: '5' });
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  it('examples/node-web passes every runtime check that can be measured (VI has no evidence to give: unknown)', async () => {
    expect((await deploy('good', 'examples/node-web')).code).toBe(0);
    // Its files are sampled up to 3 s after it is up; then a new release stops v1 (SIGTERM measured).
    await eventually(async () => expect(check(await evidence('good', 1), 'XI.logs-to-stdout').evidence[0]).toContain('3 samples'), 20_000);
    await ok(['config:set', 'GREETING=hi', '-a', 'good']);
    const found = await eventually(async () => {
      const v1 = await evidence('good', 1);
      expect(check(v1, 'IX.graceful-stop').status).not.toBe('unknown');
      return v1;
    }, 20_000);
    expect(found.checks.map((c) => c.id)).toEqual(RUNTIME_CHECKS);
    for (const id of RUNTIME_CHECKS.filter((c) => c !== 'VI.writes-outside-tmp')) expect(check(found, id).status, `${id}: ${check(found, id).evidence.join('; ')}`).toBe('pass');
    expect(check(found, 'VI.writes-outside-tmp').status).toBe('unknown');
    expect(check(found, 'VII.binds-port').evidence[0]).toMatch(/^web\.1 listens on (0\.0\.0\.0|\[::\]):\d+, accepted after [\d ]+ ms$/);
    expect(check(found, 'IX.graceful-stop').evidence[0]).toMatch(/^web\.1 exited [\d ]+ ms after SIGTERM$/);
  }, 90_000);

  it('XI: a process that logs to /tmp/app.log is caught through /proc', async () => {
    expect((await deploy('logfile', `${FIXTURES}/score-log-file`)).code).toBe(0);
    const found = await eventually(async () => {
      const v1 = await evidence('logfile', 1);
      expect(check(v1, 'XI.logs-to-stdout').status).toBe('fail');
      return v1;
    }, 20_000);
    expect(check(found, 'XI.logs-to-stdout').evidence).toEqual(['web.1 writes /tmp/app.log']);
    expect(check(found, 'XI.logs-to-stdout').hint).toContain('12factor.net/logs');
    expect(othersFailing(found, 'XI.logs-to-stdout')).toEqual([]);
  }, 60_000);

  it('IX: a process that ignores SIGTERM gets the measured time and fail (killed at the end of its grace period)', async () => {
    expect((await deploy('stubborn', `${FIXTURES}/score-ignore-sigterm`)).code).toBe(0);
    await ok(['ps:type', 'web', '--grace', '2', '-a', 'stubborn']);
    // ps:type applies to the running release; the next release stops v1's web.1 with that grace period.
    await ok(['config:set', 'AGAIN=1', '-a', 'stubborn']);
    const stopped = await eventually(async () => {
      const v1 = await evidence('stubborn', 1);
      expect(check(v1, 'IX.graceful-stop').status).not.toBe('unknown');
      return v1;
    }, 20_000);
    const graceful = check(stopped, 'IX.graceful-stop');
    expect(graceful.status).toBe('fail');
    const stop = stopped.evidence.find((e) => e.kind === 'stop')?.value as { ms: number; killed: boolean; graceMs: number };
    expect(stop.killed).toBe(true);
    expect(stop.graceMs).toBe(2000);
    expect(stop.ms).toBeGreaterThanOrEqual(2000);
    expect(stop.ms).toBeLessThan(5000);
    expect(graceful.evidence[0]).toMatch(/^web\.1 exited 2 \d{3} ms after SIGTERM \(killed after the 2 000 ms grace period\)$/);
    expect(othersFailing(stopped, 'IX.graceful-stop')).toEqual([]);
  }, 60_000);

  it('VII: a process that binds 127.0.0.1 only is caught (and its boot fails saying so)', async () => {
    // The platform's boot timeout is 5 s (beforeAll): the boot fails then.
    const deployed = await deploy('loopback', `${FIXTURES}/score-loopback`);
    expect(deployed.code).not.toBe(0);
    expect(deployed.stderr + deployed.stdout).toMatch(/listens on 127\.0\.0\.1:\d+ only/);
    const releases = JSON.parse((await ok(['releases', '-a', 'loopback', '--json'])).stdout) as { version: number }[];
    const version = Math.max(...releases.map((r) => r.version));
    const found = await evidence('loopback', version);
    const binds = check(found, 'VII.binds-port');
    expect(binds.status).toBe('fail');
    expect(binds.evidence[0]).toMatch(/^web\.1 listens on 127\.0\.0\.1:\d+ only, not on every interface \(never accepted\)$/);
    expect(othersFailing(found, 'VII.binds-port')).toEqual([]);
  }, 60_000);

  it('VIII: a worker whose main process exits 0 while its child runs on is caught daemonizing', async () => {
    expect((await deploy('daemon', `${FIXTURES}/score-daemon`)).code).toBe(0);
    await ok(['ps:scale', 'worker=1', '-a', 'daemon']);
    const found = await eventually(async () => {
      const v = await evidence('daemon', 1);
      expect(check(v, 'VIII.no-daemonizing').status).toBe('fail');
      return v;
    }, 20_000);
    expect(check(found, 'VIII.no-daemonizing').evidence[0]).toBe('worker.1 main process exited 0 while 1 process(es) it started still ran');
    expect(othersFailing(found, 'VIII.no-daemonizing')).toEqual([]);
    await ok(['ps:scale', 'worker=0', '-a', 'daemon']);
  }, 60_000);

  it('VI: a write into the read-only slug that the process reports (EROFS) is caught', async () => {
    expect((await deploy('writes', `${FIXTURES}/score-writes`)).code).toBe(0);
    const found = await eventually(async () => {
      const v = await evidence('writes', 1);
      expect(check(v, 'VI.writes-outside-tmp').status).toBe('fail');
      return v;
    }, 20_000);
    expect(check(found, 'VI.writes-outside-tmp').evidence).toEqual(['web.1 write refused on /app/state.json (read-only: EROFS)']);
    expect(othersFailing(found, 'VI.writes-outside-tmp')).toEqual([]);
  }, 60_000);
});
