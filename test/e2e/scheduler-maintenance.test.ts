import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronJob, CronRun, ProcessInfo } from '../../packages/contracts/src/index.js';
import { eventually, httpGet, ROOT, TestPlatform } from './support/platform.js';

const APP = 'sched';
const HOST = `${APP}.localhost`;

/**
 * Issue 17, acceptance 5 and 6, end to end: scheduled jobs run as one-off processes
 * `scheduler.N` (made to run now through "run now", not a minute of sleep; the minute boundary
 * and the missed-run rule are unit tests on a manual clock), overlapping runs are skipped, and
 * maintenance mode answers 503 (H80) without restarting anything.
 */
describe('scheduled jobs and maintenance mode', () => {
  let platform: TestPlatform;
  let source: string;
  const ok = (args: string[]) => platform.ok(args);
  const json = async <T>(args: string[]) => JSON.parse((await ok([...args, '--json'])).stdout) as T;
  const jobs = () => json<CronJob[]>(['cron', '-a', APP]);
  const runs = (job: string) => json<CronRun[]>(['cron:runs', '-a', APP, '--job', job]);

  beforeAll(async () => {
    // examples/node-probe with an app.json `cron` (Dokku's format).
    source = mkdtempSync(join(tmpdir(), 'dozen-sched-src-'));
    for (const file of ['Procfile', 'package.json', 'package-lock.json', 'server.js']) cpSync(join(ROOT, 'examples', 'node-probe', file), join(source, file));
    writeFileSync(join(source, 'app.json'), JSON.stringify({ cron: [{ command: 'echo nightly from app.json', schedule: '0 3 * * *' }] }));
    platform = await TestPlatform.start();
    await ok(['apps:create', APP]);
    await ok(['deploy', source, '-a', APP]);
  });
  afterAll(async () => {
    await platform?.destroy();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  it('refuses a schedule that does not parse, naming the field', async () => {
    const bad = await platform.fails(['cron:add', '61 * * * *', '-a', APP, '--', 'echo', 'x'], 'CRON_SCHEDULE_INVALID');
    expect(bad.stderr).toContain('minute field `61` is out of 0-59');
    const months = await platform.fails(['cron:add', '0 0 1 foo *', '-a', APP, '--', 'echo', 'x'], 'CRON_SCHEDULE_INVALID');
    expect(months.stderr).toContain('month field `foo` is not a number or a name');
  });

  it('keeps the jobs of app.json apart: listed with their source, not removable from the CLI', async () => {
    const [fromAppJson] = await jobs();
    expect(fromAppJson).toMatchObject({ source: 'app.json', schedule: '0 3 * * *', command: ['echo nightly from app.json'] });
    expect(fromAppJson?.nextRunAt).toMatch(/T03:00:00\.000Z$/);
    await platform.fails(['cron:remove', fromAppJson!.id, '-a', APP], 'CRON_JOB_READ_ONLY');
  });

  it('runs a `* * * * *` job as scheduler.1 of the current release, its output in `dozen logs` as app[scheduler.1]', async () => {
    const command = ['node', '-e', 'console.log("tick from cron " + process.env.DOZEN_PROCESS + " " + process.env.DOZEN_RELEASE)'];
    const added = await ok(['cron:add', '* * * * *', '-a', APP, '--', ...command]);
    expect(added.stdout).toMatch(/Scheduled `node -e .*` \(\* \* \* \* \*, UTC\) as job \S+ of sched/);
    const job = (await jobs()).find((j) => j.source === 'cli');
    expect(job).toMatchObject({ schedule: '* * * * *', command });
    const nextRun = Date.parse(job!.nextRunAt!);
    expect(nextRun - Date.now()).toBeLessThanOrEqual(60_000);
    expect(new Date(nextRun).getUTCSeconds()).toBe(0);
    // Run now rather than wait for the minute (its own tick may come first: then that run is scheduler.1).
    const triggered = await ok(['cron:trigger', job!.id, '-a', APP]);
    expect(triggered.stdout).toMatch(/Started job \S+ as scheduler\.\d+|was skipped: its previous run scheduler\.1 is still running/);
    await eventually(async () => {
      const logs = await ok(['logs', '-a', APP, '-p', 'scheduler.1']);
      expect(logs.stdout).toMatch(/ app\[scheduler\.1\]: tick from cron scheduler\.1 v1$/m);
    }, 30_000, 300);
    await eventually(async () => expect((await runs(job!.id)).find((r) => r.process === 'scheduler.1')).toMatchObject({ status: 'ran', exitCode: 0 }), 30_000, 300);
    const platformLines = await ok(['logs', '-a', APP, '-s', 'dozen']);
    expect(platformLines.stdout).toMatch(/dozen\[scheduler\]: Starting process scheduler\.1 with command `node -e .*` \(job \S+, (run now|\* \* \* \* \*)\)/);
    await ok(['cron:remove', job!.id, '-a', APP]);
    expect((await jobs()).some((j) => j.id === job!.id)).toBe(false);
  });

  it('skips a run while the previous run of the same job is still running, and says so', async () => {
    await ok(['cron:add', '0 0 1 1 *', '-a', APP, '--', 'node', '-e', 'setTimeout(() => console.log("long job done"), 30000)']);
    const job = (await jobs()).find((j) => j.source === 'cli' && j.schedule === '0 0 1 1 *')!;
    const first = await ok(['cron:trigger', job.id, '-a', APP]);
    const name = /as (scheduler\.\d+)/.exec(first.stdout)?.[1] as string;
    expect(name).toMatch(/^scheduler\.\d+$/);
    const second = await ok(['cron:trigger', job.id, '-a', APP]);
    expect(second.stdout).toContain(`Job ${job.id} was skipped: its previous run ${name} is still running`);
    const [skipped, running] = await runs(job.id);
    expect(skipped).toMatchObject({ status: 'skipped', process: null, trigger: 'manual' });
    expect(running).toMatchObject({ status: 'running', process: name });
    expect((await ok(['logs', '-a', APP, '-s', 'dozen'])).stdout).toContain(`dozen[scheduler]: Skipped job ${job.id}`);
    const listed = await ok(['cron:runs', '-a', APP]);
    expect(listed.stdout).toMatch(new RegExp(`skipped .*its previous run ${name.replace('.', '\\.')} is still running`));
    await ok(['ps:stop', name, '-a', APP]);
    await eventually(async () => expect((await runs(job.id))[1]).toMatchObject({ process: name, status: 'failed' }), 30_000, 300);
    await ok(['cron:remove', job.id, '-a', APP]);
  });

  it('a deploy with app.json replaces the app.json jobs; jobs added with cron:add stay', async () => {
    await ok(['cron:add', '@hourly', '-a', APP, '--', 'echo', 'kept']);
    writeFileSync(join(source, 'app.json'), JSON.stringify({ cron: [{ command: 'echo one', schedule: '@daily' }, { command: 'echo two', schedule: '30 4 * * mon-fri' }] }));
    const deployed = await ok(['deploy', source, '-a', APP]);
    expect(deployed.stdout + deployed.stderr).toContain('Scheduled jobs from app.json: 2 (replacing 1)');
    expect((await jobs()).map((j) => [j.source, j.schedule, j.command.join(' ')])).toEqual([
      ['cli', '@hourly', 'echo kept'],
      ['app.json', '@daily', 'echo one'],
      ['app.json', '30 4 * * mon-fri', 'echo two'],
    ]);
    writeFileSync(join(source, 'app.json'), JSON.stringify({ cron: [{ command: 'echo bad', schedule: '0 25 * * *' }] }));
    const refused = await platform.fails(['deploy', source, '-a', APP], 'APP_JSON_INVALID');
    expect(refused.stdout + refused.stderr).toContain('app.json: cron[0].schedule: The schedule "0 25 * * *" does not parse: hour field `25` is out of 0-23.');
    expect((await jobs()).map((j) => j.command.join(' '))).toEqual(['echo kept', 'echo one', 'echo two']);
    await ok(['cron:remove', (await jobs())[0]!.id, '-a', APP]);
  });

  it('maintenance on: every request gets the 503 page and an H80 router line; off: the app answers; nothing restarted', async () => {
    const web = async () => (await json<ProcessInfo[]>(['ps', '-a', APP])).find((p) => p.name === 'web.1')!;
    const before = await web();
    expect(before.state).toBe('up');
    expect((await httpGet(platform.routerPort, HOST, '/')).status).toBe(200);
    expect((await ok(['maintenance', '-a', APP])).stdout.trim()).toBe('off');

    expect((await ok(['maintenance:on', '-a', APP])).stdout).toContain('Enabled maintenance mode for sched');
    expect((await ok(['maintenance', '-a', APP])).stdout.trim()).toBe('on');
    for (const path of ['/', '/anything?x=1']) {
      const page = await httpGet(platform.routerPort, HOST, path);
      expect(page.status).toBe(503);
      expect(page.headers['x-dozen-error']).toBe('H80');
      expect(page.body).toContain('Maintenance mode');
      expect(page.body).toContain('offline for maintenance');
    }
    await eventually(async () => {
      const router = await ok(['logs', '-a', APP, '-s', 'router']);
      expect(router.stdout).toMatch(/at=error code=H80 desc="Maintenance mode" method=GET path="\/anything\?x=1" host=sched\.localhost .*status=503/);
    }, 10_000, 200);

    await ok(['maintenance:off', '-a', APP]);
    const back = await httpGet(platform.routerPort, HOST, '/');
    expect(back.status).toBe(200);
    const after = await web();
    expect(after).toMatchObject({ pid: before.pid, startedAt: before.startedAt, restarts: before.restarts, release: before.release });
  });

  it('keeps maintenance mode on across a restart with a new edge (the flag is sent to it at start)', async () => {
    await ok(['maintenance:on', '-a', APP]);
    await platform.stop();
    // A new edge starts with an empty host table: only the control plane's start can put the flag back.
    await platform.stopEdge();
    platform = await platform.restart();
    const page = await httpGet(platform.routerPort, HOST, '/');
    expect(page.status).toBe(503);
    expect(page.headers['x-dozen-error']).toBe('H80');
    await ok(['maintenance:off', '-a', APP]);
    await eventually(async () => expect((await httpGet(platform.routerPort, HOST, '/')).status).toBe(200), 30_000, 200);
  });
});
