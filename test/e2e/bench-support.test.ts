import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';

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
