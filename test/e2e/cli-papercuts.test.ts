import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOZEN_BIN, gitEnv, gitIn } from './support/git.js';
import { ROOT, TestPlatform, type CliResult } from './support/platform.js';

const APP = 'papercuts';

/** Issue 11, part 2, "CLI papercuts": each through the real CLI against a real platform. */
describe('CLI papercuts', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-papercuts-'));
  const ok = (args: string[]) => platform.ok(args);

  /** The CLI with its stdout closed before it writes anything (`dozen ... | head` once head is gone). */
  const withClosedStdout = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [DOZEN_BIN, ...args], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => done({ code, stderr }));
    });

  /** A raw exchange on a fresh connection: what comes back until the peer closes (or 3 s), and how long it took. */
  const raw = (port: number, bytes: string | Buffer) =>
    new Promise<{ text: string; ms: number }>((done) => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
      let text = '';
      const timer = setTimeout(() => socket.destroy(), 3000);
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => {
        clearTimeout(timer);
        done({ text, ms: Date.now() - started });
      });
      socket.on('error', () => undefined);
    });

  beforeAll(async () => {
    platform = await TestPlatform.start();
    const dir = join(scratch, 'app');
    cpSync(join(ROOT, 'examples', 'node-web'), dir, { recursive: true });
    appendFileSync(join(dir, 'Procfile'), 'release: echo migrated\n');
    await ok(['apps:create', APP]);
    await ok(['deploy', dir, '-a', APP]);
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a closed stdout ends ps, releases, logs and help quietly with status 141, as git', async () => {
    for (const args of [['ps', '-a', APP], ['releases', '-a', APP], ['logs', '-a', APP], ['logs', '-a', APP, '--json'], ['help']]) {
      const result = await withClosedStdout(args);
      expect({ args, ...result }).toEqual({ args, code: 141, stderr: '' });
    }
  });

  it('ps always shows the restarts column; ps:scale, apps:info and their API never list the release type', async () => {
    const ps = await ok(['ps', '-a', APP]);
    expect(ps.stdout).toMatch(/^web\.1: +up .* 0 restarts/m);
    const formation = await ok(['ps:scale', '-a', APP]);
    expect(formation.stdout.trim()).toBe('web=1 worker=0');
    expect(JSON.parse((await ok(['ps:scale', '-a', APP, '--json'])).stdout).map((f: { type: string }) => f.type)).toEqual(['web', 'worker']);
    expect((await ok(['apps:info', '-a', APP])).stdout).toMatch(/^Formation: +web=1 worker=0$/m);
    expect(JSON.parse((await ok(['apps:info', '-a', APP, '--json'])).stdout).formation).toEqual({ web: 1, worker: 0 });
    const scaled = await ok(['ps:scale', 'worker=0', '-a', APP]);
    expect(scaled.stdout).toBe(`Scaled ${APP} to web=1 worker=0.\n`);
  });

  it('ps:scale: web=N is absolute, web+N and web-N relative, web=-1 an error naming it', async () => {
    expect((await ok(['ps:scale', 'web+1', '-a', APP])).stdout).toContain('to web=2 ');
    expect((await ok(['ps:scale', 'web+1', '-a', APP, '--dry-run'])).stdout).toContain(`Scaling ${APP} to web=3 would:`);
    expect((await ok(['ps:scale', 'web-1', '-a', APP])).stdout).toContain('to web=1 ');
    expect((await ok(['ps:scale', 'web=1', '-a', APP])).stdout).toContain('to web=1 ');
    const negative = await platform.fails(['ps:scale', 'web=-1', '-a', APP], 'FORMATION_INVALID');
    expect(negative.stderr).toContain('web=-1');
    const below = await platform.fails(['ps:scale', 'web-2', '-a', APP], 'FORMATION_INVALID');
    expect(below.stderr).toContain('web-2');
    expect((await ok(['ps:scale', '-a', APP])).stdout.trim()).toBe('web=1 worker=0');
  });

  it('config shows control characters escaped, as logs does; --shell and --json keep the value exact', async () => {
    const hostile = 'a\u001b]52;c;aGk=\u0007b\u001b[2Jc\rd';
    await ok(['config:set', `HOSTILE=${hostile}`, '-a', APP]);
    const shown = await ok(['config', '-a', APP]);
    expect(shown.stdout).toContain('HOSTILE: a\\x1b]52;c;aGk=\\x07b\\x1b[2Jc\\x0dd\n');
    expect(shown.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(JSON.parse((await ok(['config', '-a', APP, '--json'])).stdout).HOSTILE).toBe(hostile);
  });

  it('run echoes a long command shortened, and runs all of it', async () => {
    const word = 'x'.repeat(300);
    const result = await ok(['run', '-a', APP, '--', 'echo', word]);
    expect(result.stdout).toBe(`${word}\n`);
    const echoed = /Running `([^`]*)` as run\.\d+/.exec(result.stderr)?.[1];
    expect(echoed).toBeDefined();
    expect(echoed).toHaveLength(60);
    expect(echoed).toBe(`echo ${'x'.repeat(54)}…`);
  });

  describe('git credential helper', () => {
    const repo = join(scratch, 'repo');
    const git = () => gitIn(platform, repo);
    const fill = (env: Record<string, string> = {}) =>
      new Promise<CliResult>((done) => {
        const child = spawn('git', ['credential', 'fill'], { cwd: repo, env: gitEnv(platform, env), stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const { host } = new URL(platform.apiUrl);
        child.stdin.end(`protocol=http\nhost=${host}\npath=git/${APP}.git\n\n`);
        child.on('close', (code) => done({ code, stdout, stderr }));
      });

    beforeAll(async () => {
      mkdirSync(repo);
      await git().ok(['init', '--quiet', '-b', 'main']);
      writeFileSync(join(repo, 'README'), 'x\n');
    });

    it('survives the npx cache it was set up from being cleared', async () => {
      // npx runs an installed CLI through a link in its cache (_npx/<hash>/node_modules/.bin/dozen).
      const cache = join(scratch, 'npm-cache', '_npx', '4f2a', 'node_modules', '.bin');
      mkdirSync(cache, { recursive: true });
      symlinkSync(DOZEN_BIN, join(cache, 'dozen'));
      const setup = await new Promise<number | null>((done) => {
        const child = spawn(process.execPath, [join(cache, 'dozen'), 'git:remote', '-a', APP], { cwd: repo, env: gitEnv(platform), stdio: 'ignore' });
        child.on('close', done);
      });
      expect(setup).toBe(0);
      rmSync(join(scratch, 'npm-cache'), { recursive: true, force: true });
      const config = readFileSync(join(repo, '.git', 'config'), 'utf8');
      expect(config).not.toContain('npm-cache');
      const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
      // No `dozen` on PATH (vitest's has node_modules/.bin): the stored helper must stand on its own.
      const answer = await fill({ PATH: '/usr/bin:/bin' });
      expect(answer.stdout, answer.stderr).toContain(`password=${token}\n`);
    });

    it('says what to do when it has no token, instead of only "could not read Username"', async () => {
      // No DOZEN_API_TOKEN, no `dozen login`, and no platform data dir with an admin token.
      const answer = await fill({ DOZEN_DATA_DIR: join(scratch, 'no-such-dir'), GIT_TERMINAL_PROMPT: '0' });
      expect(answer.code).not.toBe(0);
      expect(answer.stderr).toContain(`dozen has no API token for ${platform.apiUrl}.`);
      expect(answer.stderr).toMatch(/Run `dozen login`.*DOZEN_API_TOKEN/);
      expect(answer.stdout).not.toContain('password=');
    });
  });

  it('the API and the router answer a head too large with the error shape', async () => {
    const big = `X-Big: ${'a'.repeat(70 * 1024)}\r\n`;
    for (const [port, host, code] of [
      [Number(new URL(platform.apiUrl).port), '127.0.0.1', 'REQUEST_HEAD_TOO_LARGE'],
      [platform.routerPort, `${APP}.localhost`, 'HTTP_431'],
    ] as const) {
      const { text } = await raw(port, `GET / HTTP/1.1\r\nHost: ${host}\r\n${big}\r\n`);
      expect(text, code).toMatch(/^HTTP\/1\.1 431 /);
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: Record<string, string> };
      expect(Object.keys(body.error).sort(), code).toEqual(['code', 'hint', 'message']);
      expect(body.error.code).toBe(code);
    }
  });

  it('the router answers bytes that are not HTTP at once with a 400 in the error shape', async () => {
    const clientHello = Buffer.from('160301020001000200fc0303' + 'ab'.repeat(32), 'hex');
    for (const bytes of [clientHello, 'GET /\r\n']) {
      const { text, ms } = await raw(platform.routerPort, bytes);
      expect(ms).toBeLessThan(1000);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code).toBe('HTTP_400');
    }
  });
});
