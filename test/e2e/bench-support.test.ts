import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/platform.js';

/**
 * The router bench runs the compiled router on its own (bench/support/router-standalone.js), built
 * from platform internals; this keeps it in step with them (it once crashed at its first request).
 */
describe('bench support: the standalone router', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
  });

  function start(script: string, args: string[] = []): Promise<number> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stderr?.on('data', (c) => (err += c));
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (c) => {
        out += c;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${err}`)));
    });
  }

  function get(port: number): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'bench.localhost' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the backend through the router, request after request', async () => {
    const backend = await start('bench/support/hello-backend.js');
    const router = await start('bench/support/router-standalone.js', [String(backend)]);
    for (let i = 0; i < 20; i++) expect(await get(router)).toEqual({ status: 200, body: 'Hello from the backend\n' });
  });
});

/** Runs one export of a bench module with small settings, in its own Node.js, and returns its JSON. */
async function benchPart<T>(module: string, call: string): Promise<T> {
  const script = `import { ${call.split('(')[0]} } from './bench/${module}'; console.log(JSON.stringify(await ${call}));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;
}

interface Role {
  pid: number;
  command: string;
  rss: number;
}

describe('bench support: idle memory and CLI start-up', () => {
  it('memory: counts the platform and its helpers, not the app and its sandbox', async () => {
    const result = await benchPart<{ floor: number; idle: { roles: Role[]; apps: Role[]; total: number; appTotal: number } }>('memory.bench.js', 'measureMemory({ idleSeconds: 0, readings: 1 })');
    expect(result.floor).toBeGreaterThan(0);
    const { roles, apps, total } = result.idle;
    expect(roles[0]?.command).toContain('dozen.js up');
    // The app (node server.js) is on the app's side, with its sandbox; none of it is a role.
    expect(apps.some((p) => p.command.includes('node server.js'))).toBe(true);
    expect(roles.some((r) => r.command.includes('server.js'))).toBe(false);
    expect(roles.filter((r) => apps.some((a) => a.pid === r.pid))).toEqual([]);
    expect(total).toBe(roles.reduce((sum, r) => sum + r.rss, 0));
  });

  it('cli: times the floor, dozen --version and dozen run -- true against a deployed app', async () => {
    const rows = await benchPart<{ label: string; medianMs: number; targetMs?: number }[]>('cli.bench.js', 'measureCli({ runs: 1 })');
    expect(rows.map((r) => r.label)).toEqual(['floor: node -e 0', 'dozen --version', 'dozen run -a cli -- true']);
    expect(rows.map((r) => r.targetMs)).toEqual([undefined, 60, 120]);
    for (const row of rows) expect(row.medianMs).toBeGreaterThan(0);
  });
});
