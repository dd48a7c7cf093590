import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

const PROBE = 'test/e2e/fixtures/probe';
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

interface Proc {
  name: string;
  pid: number | null;
}

/** Issue 4: isolation between apps (acceptance 4) and one-off runs on a terminal or pipes (5). */
describe('runtime: isolation and one-off runs', () => {
  let platform: TestPlatform;
  const ok = (args: string[], input?: string) => platform.ok(args, input === undefined ? {} : { input });
  const appId = async (app: string) => (JSON.parse((await ok(['apps:info', '-a', app, '--json'])).stdout) as { app: { id: string } }).app.id;
  const webPid = async (app: string) => (JSON.parse((await ok(['ps', '-a', app, '--json'])).stdout) as Proc[]).find((p) => p.name === 'web.1')?.pid as number;
  const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

  beforeAll(async () => {
    platform = await TestPlatform.start({ PLATFORM_CANARY: 'from-the-platform-environment' });
    for (const app of ['alpha', 'beta']) {
      await ok(['apps:create', app]);
      await ok(['config:set', `SECRET=${app}-secret`, '-a', app]);
      await ok(['deploy', PROBE, '-a', app]);
    }
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it("4. from app A, app B's slug and environment, the platform's data and database are out of reach, /app is read-only, and both run as different users", async () => {
    const betaSlugs = join(platform.dataDir, 'slugs', await appId('beta'));
    const betaSlug = join(betaSlugs, readdirSync(betaSlugs)[0] as string);
    const betaPid = await webPid('beta');
    const targets = [betaSlug, join(betaSlug, 'server.js'), `/proc/${betaPid}/environ`, platform.dataDir, join(platform.dataDir, 'dozen.db'), join(platform.dataDir, 'admin-token'), join(platform.dataDir, 'secret-key'), '/root'];
    const probe = await ok(['run', '-a', 'alpha', '--', 'node', 'probe.js', ...targets]);
    const result = JSON.parse(probe.stdout) as Record<string, string>;
    for (const path of targets) expect(result[path], path).toMatch(/^(ENOENT|EACCES)$/);
    expect(result['write /app']).toBe('EROFS');
    const kill = await platform.cli(['run', '-a', 'alpha', '--', 'kill', '-0', String(betaPid)]);
    expect(kill.code).not.toBe(0);
    // Even on the host, what the sandbox hides is closed: the data dir is the platform's alone.
    expect(statSync(platform.dataDir).mode & 0o777).toBe(0o700);

    const alphaUid = Number((await ok(['run', '-a', 'alpha', '--', 'id', '-u'])).stdout.trim());
    const betaUid = Number((await ok(['run', '-a', 'beta', '--', 'id', '-u'])).stdout.trim());
    expect(alphaUid).toBeGreaterThanOrEqual(70_000);
    expect(betaUid).toBeGreaterThanOrEqual(70_000);
    expect(alphaUid).not.toBe(betaUid);
    expect(uidOf(await webPid('alpha'))).toBe(alphaUid);
    expect(uidOf(betaPid)).toBe(betaUid);
    expect(statSync(betaSlug).uid).toBe(betaUid);
    const env = (await ok(['run', '-a', 'alpha', '--', 'env'])).stdout;
    expect(env).toContain('SECRET=alpha-secret');
    expect(env).not.toContain('beta-secret');
    // Exactly the config vars and the documented variables: nothing of the platform's environment
    // (the shell that runs the command adds its own PWD, SHLVL and _).
    const names = env.trim().split('\n').map((line) => line.slice(0, line.indexOf('='))).filter((name) => !['PWD', 'SHLVL', '_'].includes(name));
    expect(names.sort()).toEqual(['DOZEN_APP', 'DOZEN_PROCESS', 'DOZEN_RELEASE', 'HOME', 'LANG', 'PATH', 'SECRET']);
    expect(env).not.toContain('from-the-platform-environment');
    const web = readFileSync(`/proc/${await webPid('alpha')}/environ`, 'utf8').split('\0').filter(Boolean).map((line) => line.slice(0, line.indexOf('='))).filter((name) => !['PWD', 'SHLVL', '_'].includes(name));
    expect(web.sort()).toEqual(['DOZEN_APP', 'DOZEN_PROCESS', 'DOZEN_RELEASE', 'HOME', 'LANG', 'PATH', 'PORT', 'SECRET']);
  });

  it('5. dozen run on a terminal: the shell answers, resizes, Ctrl-C reaches it, the exit code comes back', async () => {
    const terminal = pty.spawn(process.execPath, [DOZEN, 'run', '-a', 'alpha', 'bash'], {
      name: 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, TERM: 'xterm-256color' },
    });
    let screen = '';
    terminal.onData((data) => (screen += data));
    const exited = new Promise<number>((resolve) => terminal.onExit(({ exitCode }) => resolve(exitCode)));
    const waitFor = (text: string | RegExp) => eventually(async () => expect(screen).toMatch(text), 15_000, 20);
    await waitFor(/on a terminal[\s\S]*\$ $/);
    terminal.write('stty size\r');
    await waitFor(/[\r\n]24 80\r/);
    terminal.resize(100, 30);
    await new Promise((r) => setTimeout(r, 300));
    terminal.write('stty size\r');
    await waitFor(/[\r\n]30 100\r/);
    terminal.write('sleep 300; echo finished-sleeping\r');
    await new Promise((r) => setTimeout(r, 500));
    const interrupted = Date.now();
    terminal.write('\x03');
    terminal.write('echo "back at the prompt as $(id -u) on $TERM"\r');
    await waitFor(/back at the prompt as 7\d+ on xterm-256color/);
    expect(Date.now() - interrupted).toBeLessThan(5000);
    expect(screen).not.toMatch(/[\r\n]finished-sleeping/);
    terminal.write('exit 3\r');
    expect(await exited).toBe(3);
    expect((await ok(['ps', '-a', 'alpha', '--json'])).stdout).not.toContain('"run.');
  });

  it('5. without a terminal stdin is piped and the exit code comes back; --timeout stops a run; --detached logs its output', async () => {
    expect((await ok(['run', '-a', 'alpha', '--', 'wc', '-c'], 'twelve bytes')).stdout.trim()).toBe('12');
    const exit = await platform.cli(['run', '-a', 'alpha', '--', 'sh', '-c', 'read line; echo "got $line"; exit 4'], { input: 'hello\n' });
    expect(exit).toMatchObject({ code: 4, stdout: 'got hello\n' });
    const started = Date.now();
    const slow = await platform.cli(['run', '--timeout', '1', '-a', 'alpha', '--', 'sleep', '300']);
    expect(slow.code).toBe(137);
    expect(slow.stderr).toContain('did not finish within its timeout of 1 s; stopping it');
    expect(Date.now() - started).toBeLessThan(10_000);
    const detached = await ok(['run', '--detached', '-a', 'alpha', '--', 'sh', '-c', 'echo "from the background as $DOZEN_PROCESS"']);
    const name = /detached as (run\.\d+)/.exec(detached.stdout)?.[1] as string;
    await eventually(async () => {
      const logs = (await ok(['logs', '-a', 'alpha'])).stdout;
      expect(logs).toContain(`app[${name}]: from the background as ${name}`);
      expect(logs).toContain(`dozen[${name}]: Process exited with status 0`);
    });
  });
});
