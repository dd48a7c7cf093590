import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestPlatform } from './support/platform.js';

const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

function runUp(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [DOZEN, 'up'], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), DOZEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'dozen-bad-')), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('platform start, tokens and live logs', () => {
  it('refuses to start on a bad environment value, naming the variable', async () => {
    const bad = await runUp({ PORT: 'seven' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('PORT="seven" is not valid');
    expect(bad.stderr).toContain('(PLATFORM_CONFIG_INVALID)');
  });

  it('refuses to start on a port that is taken, naming the variable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const taken = await runUp({ PORT: '0', DOZEN_ROUTER_PORT: String(port) });
    server.close();
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`DOZEN_ROUTER_PORT=${port}: the port is already in use`);
  });

  describe('with a running platform', () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await TestPlatform.start();
    });
    afterAll(async () => {
      await platform?.destroy();
    });

    it('dozen login checks a token and saves it for a CLI that is not on the platform host', async () => {
      const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
      const elsewhere = { DOZEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'no-token-')) };
      expect((await platform.cli(['apps'], { env: elsewhere })).stderr).toContain('UNAUTHORIZED');
      expect((await platform.cli(['login', '--token', 'dzn_nope'], { env: elsewhere })).stderr).toContain('UNAUTHORIZED');
      const login = await platform.cli(['login', '--token', token], { env: elsewhere });
      expect(login.code, login.stderr).toBe(0);
      const apps = await platform.cli(['apps'], { env: elsewhere });
      expect(apps.code, apps.stderr).toBe(0);
    });

    it('config:unset makes a new release without the var, and the app no longer sees it', async () => {
      const ok = async (args: string[]) => (await platform.ok(args)).stdout;
      const greeting = async () => JSON.parse((await platform.http('unset')).body) as { greeting: string; release: string };
      await ok(['apps:create', 'unset']);
      await ok(['deploy', 'examples/node-web', '-a', 'unset']);
      await ok(['config:set', 'GREETING=Bonjour', 'OTHER=kept', '-a', 'unset']);
      expect(await greeting()).toMatchObject({ greeting: 'Bonjour', release: 'v2' });

      expect(await ok(['config:unset', 'GREETING', '-a', 'unset'])).toBe('Unset GREETING and released v3.\n');
      expect(await greeting()).toMatchObject({ greeting: 'Hello from Dozen', release: 'v3' });
      expect(JSON.parse(await ok(['config', '-a', 'unset', '--json']))).toEqual({ OTHER: 'kept' });
      const seen = await platform.cli(['run', '-a', 'unset', '--', 'node', '-p', 'JSON.stringify([process.env.GREETING ?? null, process.env.OTHER])']);
      expect(seen.stdout.trim()).toBe('[null,"kept"]');
      expect(await ok(['releases', '-a', 'unset'])).toMatch(/v3\s+Unset GREETING config vars\s+current/);

      expect(await ok(['config:unset', 'GREETING', '-a', 'unset'])).toBe('GREETING were not set: no new release.\n');
      expect(JSON.parse(await ok(['releases', '-a', 'unset', '--json']))).toHaveLength(3);
    });

    it('version and help answer with exit 0; a usage error exits 2 with a hint', async () => {
      const version = await platform.cli(['version']);
      expect(version.code, version.stderr).toBe(0);
      const { version: packageVersion } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(version.stdout).toBe(`dozen/${packageVersion} node-${process.version} ${process.platform}-${process.arch}\n`);

      const help = await platform.cli(['help']);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: dozen \[options\] \[command\]/);
      for (const command of ['apps:create', 'deploy', 'config:unset', 'ps:scale', 'rollback', 'version']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const one = await platform.cli(['help', 'config:unset']);
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toContain('Usage: dozen config:unset [options] <keys...>');
      expect(one.stdout).toContain('-a, --app <name>');

      const usage = async (args: string[], message: string) => {
        const result = await platform.cli(args);
        expect(result.code, `dozen ${args.join(' ')}\n${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(` !    ${message}\n`);
        expect(result.stderr).toContain('Run `dozen help` for the commands');
        expect(result.stderr).toContain('(CLI_USAGE)');
        expect(result.stderr).not.toContain('outputHelp');
        return result;
      };
      await usage(['config:unset', '-a', 'unset'], "missing required argument 'keys'");
      await usage(['version', 'extra'], "too many arguments for 'version'. Expected 0 arguments but got 1.");
      await usage(['help', 'no-such-command'], "unknown command 'no-such-command'");
      expect((await usage([], 'no command given')).stderr).toContain('Usage: dozen [options] [command]');
    });

    it('logs --tail streams new lines live', async () => {
      expect((await platform.cli(['apps:create', 'tailed'])).code).toBe(0);
      const tail = spawn(process.execPath, [DOZEN, 'logs', '--tail', '-a', 'tailed'], {
        env: { PATH: process.env.PATH ?? '', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, NO_COLOR: '1' },
      });
      let seen = '';
      tail.stdout.on('data', (c: Buffer) => (seen += c.toString()));
      const waitFor = async (text: string) => {
        for (const deadline = Date.now() + 10_000; !seen.includes(text) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
      };
      // The tail is connected once it has shown the history; only then is the new line made, so
      // it can reach the tail only live (a replay of the history no longer contains it).
      await waitFor('App tailed created');
      expect(seen).toMatch(/dozen\[api\]: App tailed created/);
      const history = seen;
      expect((await platform.cli(['config:set', 'LIVE=yes', '-a', 'tailed'])).code).toBe(0);
      await waitFor('Release v1 created by admin');
      tail.kill('SIGINT');
      expect(history).not.toContain('Set LIVE config vars');
      expect(seen.slice(history.length)).toMatch(/dozen\[api\]: Set LIVE config vars by admin\n.*dozen\[api\]: Release v1 created by admin/);
    });
  });
});
