import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestCa } from './support/certs.js';
import { startLoad } from './support/load.js';
import { eventually, TestPlatform } from './support/platform.js';

const HOST = 'live.dozen.test';

/** When each chunk of an HTTPS response arrived (ms after the request), and the whole body. */
function timedGet(port: number, path: string, ca: string): Promise<{ status: number; type: string; chunks: { at: number; text: string }[] }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, servername: HOST, headers: { host: HOST }, ca, agent: false }, (res) => {
      const chunks: { at: number; text: string }[] = [];
      res.on('data', (chunk: Buffer) => chunks.push({ at: Date.now() - started, text: chunk.toString() }));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), chunks }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Issue 14 acceptance 4: WebSocket and server-sent events over TLS; deploys (and a certificate swap) under HTTPS load lose nothing. */
describe('HTTPS traffic: WebSocket, SSE and deploys under load through the real platform', () => {
  let platform: TestPlatform;
  let ca: TestCa;
  const ok = (args: string[]) => platform.ok(args);

  beforeAll(async () => {
    ca = new TestCa();
    const leaf = ca.leaf('live', [HOST]);
    platform = await TestPlatform.start();
    await ok(['apps:create', 'live']);
    await ok(['deploy', 'examples/node-probe', '-a', 'live']);
    await ok(['domains:add', HOST, '-a', 'live']);
    await ok(['certs:add', leaf.chain, leaf.key, '-a', 'live']);
  });
  afterAll(async () => {
    await platform?.destroy();
    ca?.remove();
  });

  it('a WebSocket over TLS (wss://) opens, echoes, and is logged as wss', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${platform.routerHttpsPort}/ws`, { headers: { host: HOST }, servername: HOST, ca: ca.rootPem } as WebSocket.ClientOptions);
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(String(m)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await eventually(async () => expect(messages.length).toBeGreaterThan(0));
    expect(JSON.parse(messages[0] as string)).toMatchObject({ hello: 'web.1', release: 'v1' });
    ws.send('over tls');
    await eventually(async () => expect(messages).toContain('over tls'), 5000, 20);
    ws.close();
    await eventually(async () => expect((await ok(['logs', '-n', '200', '-a', 'live'])).stdout).toMatch(/router\]: at=info method=GET path="\/ws" host=live\.dozen\.test .* status=101 .* protocol=wss/));
  });

  it('server-sent events over TLS arrive as they are sent, not at the end', async () => {
    const response = await timedGet(platform.routerHttpsPort, '/sse?n=4&ms=250', ca.rootPem);
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/event-stream');
    const body = response.chunks.map((c) => c.text).join('');
    expect(body).toBe([0, 1, 2, 3].map((i) => `id: ${i}\ndata: tick ${i}\n\n`).join(''));
    const first = response.chunks.find((c) => c.text.includes('tick 0'));
    const last = response.chunks.at(-1);
    expect(first).toBeDefined();
    // Four events 250 ms apart: the first one is read at least 500 ms before the stream ends.
    expect((last?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(500);
  });

  it('two deploys and a certificate swap under HTTPS load (kept-alive and a handshake per request): 0 failed requests', async () => {
    const load = startLoad(platform.routerHttpsPort, HOST, 6, { tls: { ca: ca.rootPem } });
    const handshakes = startLoad(platform.routerHttpsPort, HOST, 1, { keepAlive: false, tls: { ca: ca.rootPem } });
    await new Promise((r) => setTimeout(r, 1000));
    await ok(['deploy', 'examples/node-probe', '-a', 'live']);
    const renewed = ca.leaf('renewed', [HOST]);
    await ok(['certs:update', renewed.chain, renewed.key, '-a', 'live']);
    await ok(['deploy', 'examples/node-probe', '-a', 'live']);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    const fresh = await handshakes.stop();
    console.log(`https load: ${result.requests} requests (${Math.round(result.rate)} req/s), ${result.failures} failed; a handshake per request: ${fresh.requests}, ${fresh.failures} failed`);
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    expect(fresh.samples).toEqual([]);
    expect(fresh.requests).toBeGreaterThan(20);
    expect([...result.releases].sort()).toEqual(['v1', 'v2', 'v3']);
  });
});
