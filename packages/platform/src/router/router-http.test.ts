import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawExchange, send, sleep, startProbe, startRouter, type Probe, type TestRouter } from '../test-support/router-harness.js';

const host = 'probe.localhost';

/** Polls `read` until its value stops changing (five polls 100 ms apart), for at most 20 s. */
async function settled(read: () => Promise<unknown>): Promise<unknown> {
  let last = await read();
  for (let same = 0, deadline = Date.now() + 20_000; same < 5 && Date.now() < deadline; ) {
    await sleep(100);
    const now = await read();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** HTTP semantics through the real router to a real app process (examples/node-probe). */
describe('router: HTTP semantics end to end', () => {
  let router: TestRouter;
  let probe: Probe;
  const stats = async () => JSON.parse((await send(router.port, { host, path: '/stats' })).body) as { connections: number; aborted: number; requests: number };
  const headersSeen = async (headers: Record<string, string> = {}) =>
    JSON.parse((await send(router.port, { host, path: '/headers', headers })).body) as { headers: Record<string, string>; rawHeaders: string[]; httpVersion: string };

  beforeAll(async () => {
    router = await startRouter();
    probe = await startProbe();
    router.table.addEndpoint('probe', { id: 'p1', process: 'web.1', port: probe.port });
  });
  afterAll(async () => {
    await router.close();
    await probe.stop();
  });

  it('keeps connections alive on both sides: many requests, one upstream connection', async () => {
    const before = (await stats()).connections;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const clientSockets = new Set<unknown>();
    for (let i = 0; i < 20; i++) {
      const reply = await new Promise<number>((done, fail) => {
        const req = request({ host: '127.0.0.1', port: router.port, path: '/', headers: { host }, agent }, (res) => {
          clientSockets.add(res.socket);
          res.resume().on('end', () => done(res.statusCode ?? 0));
        });
        req.on('error', fail).end();
      });
      expect(reply).toBe(200);
    }
    agent.destroy();
    expect(clientSockets.size).toBe(1);
    expect((await stats()).connections - before).toBeLessThanOrEqual(1);
  });

  it('streams a large upload and a large download, chunked and sized, intact', async () => {
    const upload = Buffer.alloc(20 * 1024 * 1024, 7);
    const reply = await send(router.port, { host, path: '/upload', method: 'POST', body: upload });
    expect(JSON.parse(reply.body)).toMatchObject({ bytes: upload.length });
    const chunked = await send(router.port, { host, path: '/big?bytes=30000000' });
    expect(chunked.body.length).toBe(30_000_000);
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    const sized = await send(router.port, { host, path: '/big?bytes=3000000&length=1' });
    expect(sized.body.length).toBe(3_000_000);
    expect(sized.headers['content-length']).toBe('3000000');
  });

  it('holds neither body: a client that stops reading stops the app, an app that stops reading stops the client', async () => {
    const total = 256 * 1024 * 1024;
    // Download: the client reads one chunk and pauses; the app may only get socket buffers ahead.
    const probeStats = async () => JSON.parse((await send(probe.port, { host, path: '/stats' })).body) as { streamed: number };
    const start = (await probeStats()).streamed;
    const download = request({ host: '127.0.0.1', port: router.port, path: `/big?bytes=${total}`, headers: { host }, agent: false }, (res) => {
      res.once('data', () => res.pause());
    });
    download.on('error', () => undefined).end();
    const streamed = (await settled(async () => (await probeStats()).streamed - start)) as number;
    download.destroy();
    expect(streamed).toBeGreaterThan(0);
    expect(streamed).toBeLessThan(total / 4);
    // Upload: the app (/never) reads nothing; the client may only get socket buffers ahead.
    let pulled = 0;
    const body = Readable.from((function* () {
      const block = Buffer.alloc(64 * 1024, 7);
      for (; pulled < total; pulled += block.length) yield block;
    })());
    const upload = request({ host: '127.0.0.1', port: router.port, method: 'POST', path: '/never', headers: { host, 'content-length': String(total) }, agent: false });
    upload.on('error', () => undefined);
    body.pipe(upload);
    const sent = (await settled(async () => pulled)) as number;
    upload.destroy();
    body.destroy();
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(total / 4);
  });

  it('streams both ways at once: the echo of the first part comes back before the second part is sent', async () => {
    const echoed: string[] = [];
    const done = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: router.port, method: 'POST', path: '/echo', headers: { host, 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        res.setEncoding('latin1');
        res.on('data', (c: string) => {
          echoed.push(c);
          if (echoed.join('') === 'first part;') req.end('second part');
        });
        res.on('end', () => resolve(echoed.join('')));
      });
      req.on('error', reject);
      req.write('first part;');
    });
    expect(await done).toBe('first part;second part');
  });

  it('passes server-sent events through as they happen', async () => {
    // Each event is its own read on the client: none is held back to travel with the next one.
    const reads: string[] = [];
    await new Promise<void>((resolve) => {
      request({ host: '127.0.0.1', port: router.port, path: '/sse?n=3&ms=200', headers: { host }, agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => reads.push(chunk));
        res.on('end', () => resolve());
      }).end();
    });
    expect(reads.map((chunk) => chunk.match(/tick \d/g))).toEqual([['tick 0'], ['tick 1'], ['tick 2']]);
  });

  it('tunnels a WebSocket, and sends nothing raw when the app refuses the upgrade', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${router.port}/ws`, { headers: { host } });
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(String(m)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('ping 1');
    await sleep(100);
    expect(messages[0]).toContain('"hello":"web.1"');
    expect(messages[1]).toBe('ping 1');
    ws.close();

    const refused = await rawExchange(router.port, [`GET /ws-refuse HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\nGET /stats HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    expect(refused.text).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(refused.text).not.toContain('101');
    expect(refused.text.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(refused.closed).toBe(true);
  });

  it('answers Expect: 100-continue with the app\'s 100, then the response', async () => {
    const result = await new Promise<string>((resolve) => {
      const socket = connect(router.port, '127.0.0.1');
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('100 Continue') && !text.includes('200 OK')) socket.write('hello');
        if (text.includes('"bytes":5')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.write(`POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
    });
    expect(result).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    expect(result).toContain('HTTP/1.1 200 OK');
  });

  it('frames HEAD, 204 and 304 responses without a body (pipelined on one connection)', async () => {
    const result = await rawExchange(router.port, [
      `HEAD /big?bytes=100&length=1 HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /status?code=204 HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /status?code=304 HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /status?code=201 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    ]);
    const statuses = [...result.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '204', '304', '201']);
    expect(result.text).toContain('content-length: 100');
    expect(result.text).not.toContain('xxxx');
    expect(result.text).toMatch(/status 201\n\r\n0\r\n\r\n$/);
    expect(result.closed).toBe(true);
  });

  it('gives the app X-Forwarded-*, X-Request-Id and Via, and strips hop-by-hop headers', async () => {
    const seen = await headersSeen({ connection: 'keep-alive, x-secret', 'x-secret': 's', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil', 'keep-alive': 'timeout=5', 'proxy-authorization': 'x' });
    expect(seen.headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-port': String(router.port), 'x-forwarded-host': host, via: '1.1 dozen' });
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const gone of ['x-secret', 'keep-alive', 'proxy-authorization']) expect(seen.headers).not.toHaveProperty(gone);
    expect((await headersSeen({ 'x-request-id': 'req-42' })).headers['x-request-id']).toBe('req-42');
    expect((await headersSeen({ 'x-request-id': 'bad id' })).headers['x-request-id']).not.toBe('bad id');
    const reply = await send(router.port, { host, path: '/' });
    expect(reply.headers.via).toBe('1.1 dozen');
    expect(reply.headers['keep-alive']).toBeUndefined();
  });

  it('refuses h2c upgrades: the app gets a plain request', async () => {
    const result = await rawExchange(router.port, [`GET /headers HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n`], 500);
    expect(result.text).toMatch(/^HTTP\/1\.1 200 OK/);
    const body = result.text.slice(result.text.indexOf('\r\n\r\n') + 4);
    expect(body.toLowerCase()).not.toContain('h2c');
    expect(body.toLowerCase()).not.toContain('upgrade');
  });

  it('decodes a chunked response for an HTTP/1.0 client and closes after it', async () => {
    const result = await rawExchange(router.port, [`GET /big?bytes=70000 HTTP/1.0\r\nHost: ${host}\r\n\r\n`]);
    expect(result.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(result.text.toLowerCase()).not.toContain('transfer-encoding');
    expect(result.text).toContain('Connection: close');
    expect(result.text.slice(result.text.indexOf('\r\n\r\n') + 4)).toBe('x'.repeat(70000));
    expect(result.closed).toBe(true);
  });

  it('routes by Host whatever its case, port or trailing dot; no Host or an unknown one is refused', async () => {
    for (const variant of ['probe.localhost', 'PROBE.LocalHost', 'probe.localhost.', `probe.localhost:${router.port}`, 'probe.localhost.:80']) {
      expect((await send(router.port, { host: variant, path: '/' })).status, variant).toBe(200);
    }
    for (const variant of ['nope.localhost', 'localhost', '127.0.0.1', '[::1]', 'probe.localhost:x', 'probe.other']) {
      const reply = await send(router.port, { host: variant, path: '/', headers: { accept: 'application/json' } });
      expect(reply.status, variant).toBe(404);
      expect(JSON.parse(reply.body).error.code).toBe('NO_SUCH_APP');
    }
    const noHost = await rawExchange(router.port, ['GET / HTTP/1.1\r\n\r\n']);
    expect(noHost.text).toMatch(/^HTTP\/1\.1 400 /);
    const noHost10 = await rawExchange(router.port, ['GET / HTTP/1.0\r\n\r\n']);
    expect(noHost10.text).toMatch(/^HTTP\/1\.1 404 /);
    expect(noHost10.text).toContain('<h1>No such app</h1>');
  });

  it('keeps and extends X-Forwarded-* only from a trusted proxy', async () => {
    const forged = { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-user': 'admin' };
    expect((await headersSeen(forged)).headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
    expect((await headersSeen(forged)).headers).not.toHaveProperty('x-forwarded-user');
    const behindProxy = await startRouter({}, ['127.0.0.0/8']);
    behindProxy.table.addEndpoint('probe', { id: 'p1', process: 'web.1', port: probe.port });
    const seen = JSON.parse((await send(behindProxy.port, { host, path: '/headers', headers: forged })).body) as { headers: Record<string, string> };
    expect(seen.headers).toMatchObject({ 'x-forwarded-for': '1.2.3.4, 127.0.0.1', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-user': 'admin' });
    await behindProxy.close();
  });

  it('writes one router line per request in the app stream', async () => {
    router.lines.length = 0;
    await send(router.port, { host, path: '/status?code=201', headers: { 'x-request-id': 'line-check' } });
    const line = router.lines.find((l) => l.message.includes('request_id=line-check'));
    expect(line).toMatchObject({ app: 'probe', source: 'router', process: 'router' });
    expect(line?.message).toMatch(/^at=info method=GET path="\/status\?code=201" host=probe\.localhost request_id=line-check fwd="127\.0\.0\.1" process=web\.1 connect=\d+ms service=\d+ms status=201 bytes=\d+ protocol=http$/);
  });
});
