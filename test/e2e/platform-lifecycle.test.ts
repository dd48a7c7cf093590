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
      const login = await platform.cli(['login'], { env: elsewhere, input: `${token}\n` });
      expect(login.code, login.stderr).toBe(0);
      const apps = await platform.cli(['apps'], { env: elsewhere });
      expect(apps.code, apps.stderr).toBe(0);
    });

    it('logs --tail streams new lines live', async () => {
      expect((await platform.cli(['apps:create', 'tailed'])).code).toBe(0);
      const tail = spawn(process.execPath, [DOZEN, 'logs', '--tail', '-a', 'tailed'], {
        env: { PATH: process.env.PATH ?? '', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, NO_COLOR: '1' },
      });
      let seen = '';
      tail.stdout.on('data', (c: Buffer) => (seen += c.toString()));
      await new Promise((r) => setTimeout(r, 1000));
      expect((await platform.cli(['config:set', 'LIVE=yes', '-a', 'tailed'])).code).toBe(0);
      const deadline = Date.now() + 5000;
      while (!seen.includes('Set LIVE config vars') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      tail.kill('SIGINT');
      expect(seen).toMatch(/dozen\[api\]: App tailed created/);
      expect(seen).toMatch(/dozen\[api\]: Release v1 created by admin: Set LIVE config vars/);
    });
  });
});
