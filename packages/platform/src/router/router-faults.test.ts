import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, rawExchange, send, sleep, startProbe, startRouter, type Probe, type TestRouter } from '../test-support/router-harness.js';

const host = 'probe.localhost';
const json = { accept: 'application/json' };

/** Bad input and faults (issue 5), through the real router to a real app process. */
describe('router: limits, timeouts and broken apps', () => {
  let router: TestRouter;
  let probe: Probe;
  const stats = async () => JSON.parse((await send(router.port, { host, path: '/stats' })).body) as { aborted: number; uploads: number[]; open: number };

  beforeAll(async () => {
    router = await startRouter({ headTimeoutMs: 800, firstByteTimeoutMs: 800, idleTimeoutMs: 1000, maxConnections: 40 });
    probe = await startProbe();
    router.table.addEndpoint('probe', { id: 'p1', process: 'web.1', port: probe.port });
  });
  afterAll(async () => {
    await router.close();
    await probe.stop();
  });

  it('refuses a 1 MB header with 431 as soon as it is too large, and closes', async () => {
    const result = await rawExchange(router.port, [`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: `, 'a'.repeat(1024 * 1024), '\r\n\r\n']);
    expect(result.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(result.closed).toBe(true);
    const longLine = await rawExchange(router.port, [`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    expect(longLine.text).toMatch(/^HTTP\/1\.1 414 /);
  });

  it('refuses a head of many lines, each within 8 KB, once it adds up to more than 64 KB (431); 60 KB goes through', async () => {
    const headers = (count: number) => Array.from({ length: count }, (_, i) => `X-Part-${i}: ${'b'.repeat(4000)}\r\n`).join('');
    const over = await rawExchange(router.port, [`GET / HTTP/1.1\r\nHost: ${host}\r\n${headers(17)}\r\n`]);
    expect(over.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(over.text).toContain('X-Dozen-Error: HTTP_431');
    expect(over.closed).toBe(true);
    // 60 KB goes through to the app (whose node:http then refuses more than its own 16 KB itself).
    const under = await rawExchange(router.port, [`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${headers(15)}\r\n`]);
    expect(under.text).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(under.text).not.toContain('X-Dozen-Error');
  });

  it('closes a client that sends one byte at a time (slowloris) at the head timeout with 408', async () => {
    const started = Date.now();
    const bytes = `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`.split('');
    const result = await rawExchange(router.port, bytes.flatMap((b) => [b, 150]), 5000);
    expect(result.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('aborts the request to the app when the client disconnects mid-body', async () => {
    const before = (await stats()).aborted;
    const socket = connect(router.port, '127.0.0.1');
    socket.write(`POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`);
    await sleep(200);
    socket.destroy();
    await sleep(300);
    expect((await stats()).aborted).toBe(before + 1);
    const line = router.lines.findLast((l) => l.message.includes('path="/upload"'));
    expect(line?.message).toMatch(/^at=error code=H27 .* status=499 /);
  });

  it.each([
    ['/bad/cl-te', 'both Content-Length and Transfer-Encoding'],
    ['/bad/status', 'malformed status'],
    ['/bad/chunk', 'malformed chunked body'],
    ['/bad/close', 'closed the connection without answering'],
  ])('answers 502 (H13) when the app answers %s, and stays up', async (path, why) => {
    const reply = await send(router.port, { host, path, headers: json });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-dozen-error']).toBe('H13');
    expect(JSON.parse(reply.body).error.message).toContain(why);
    expect((await send(router.port, { host, path: '/' })).status).toBe(200);
  });

  it('drops the client connection when the app breaks off mid-response', async () => {
    const result = await rawExchange(router.port, [`GET /bad/truncate HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    expect(result.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(result.closed).toBe(true);
    expect((await send(router.port, { host, path: '/' })).status).toBe(200);
  });

  it('answers 503 (H12) when the app never answers, after the configured timeout', async () => {
    const started = Date.now();
    const reply = await send(router.port, { host, path: '/never' });
    expect(reply.status).toBe(503);
    expect(reply.headers['x-dozen-error']).toBe('H12');
    expect(reply.body).toContain('Request timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(router.lines.findLast((l) => l.message.includes('path="/never"'))?.message).toMatch(/^at=error code=H12 desc="Request timeout" .* status=503 /);
  });

  it("has no H12 for the platform's own API site (@api: DOZEN_API_DOMAIN), which may wait for a rollout; apps still get it", async () => {
    router.hosts.setDomains('@api', ['api.example.test']);
    router.table.addEndpoint('@api', { id: 'api', process: 'api', port: probe.port });
    try {
      const api = await send(router.port, { host: 'api.example.test', path: '/slow?ms=1500' });
      expect(api.status, api.body).toBe(200);
      expect((await send(router.port, { host, path: '/slow?ms=1500' })).headers['x-dozen-error']).toBe('H12');
      // Its requests are not written to any app's log stream.
      expect(router.lines.some((l) => l.app === '@api')).toBe(false);
    } finally {
      router.table.removeApp('@api');
      router.hosts.setDomains('@api', []);
    }
  });

  it('closes a stream that stays idle longer than the idle timeout (H15)', async () => {
    const result = await rawExchange(router.port, [`GET /sse?n=2&ms=3000 HTTP/1.1\r\nHost: ${host}\r\n\r\n`], 4000);
    expect(result.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(result.closed).toBe(true);
    expect(router.lines.findLast((l) => l.message.includes('path="/sse'))?.message).toMatch(/code=H15/);
  });

  it('refuses connections over the limit with a fast 503 instead of queueing them', async () => {
    const held = await Promise.all(Array.from({ length: 45 }, () => new Promise<ReturnType<typeof connect>>((r) => {
      const s = connect(router.port, '127.0.0.1', () => r(s));
      s.on('error', () => undefined);
    })));
    await sleep(100);
    // Answered while the 45 are still held open: a queued request would get nothing until they close.
    const extra = await rawExchange(router.port, [`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
    expect(extra.text).toMatch(/^HTTP\/1\.1 503 /);
    expect(extra.text).toContain('OVERLOADED');
    expect(router.router.metrics.rejected).toBeGreaterThan(0);
    for (const s of held) s.destroy();
    await sleep(100);
    expect((await send(router.port, { host, path: '/' })).status).toBe(200);
  });

  it('keeps a bounded number of idle upstream connections, and closes them when idle too long', async () => {
    const small = await startRouter({}, [], { maxIdle: 2, idleTimeoutMs: 300 });
    small.table.addEndpoint('probe', { id: 'p1', process: 'web.1', port: probe.port });
    const opened = (await stats()).open;
    await Promise.all(Array.from({ length: 8 }, () => send(small.port, { host, path: '/slow?ms=300' })));
    await sleep(50);
    // The 8 parallel requests needed 8 connections; 2 stay pooled (one of them serves this request).
    expect((await stats()).open - opened).toBeLessThanOrEqual(2);
    // The pool closes them once idle for 300 ms: wait for that, not for a guess of how long it takes.
    for (const deadline = Date.now() + 10_000; (await stats()).open - opened > 0 && Date.now() < deadline; ) await sleep(50);
    expect((await stats()).open - opened).toBe(0);
    await small.close();
  });

  it('says H14 when no process runs and H10 when the processes crashed', async () => {
    router.table.declareApp('idle');
    const idle = await send(router.port, { host: 'idle.localhost', headers: json });
    expect([idle.status, JSON.parse(idle.body).error.code]).toEqual([503, 'H14']);
    router.table.addEndpoint('crashy', { id: 'c1', process: 'web.1', port: await freePort() });
    router.table.removeEndpoint('crashy', 'c1');
    const crashed = await send(router.port, { host: 'crashy.localhost', headers: json });
    expect([crashed.status, JSON.parse(crashed.body).error.code]).toEqual([503, 'H10']);
    expect(router.lines.findLast((l) => l.app === 'crashy')?.message).toMatch(/^at=error code=H10 desc="App crashed" /);
  });

  it('retries once on another process when a connection is refused, never otherwise', async () => {
    const dead = await freePort();
    router.table.addEndpoint('retry', { id: 'dead', process: 'web.1', port: dead });
    router.table.addEndpoint('retry', { id: 'live', process: 'web.2', port: probe.port });
    for (let i = 0; i < 4; i++) expect((await send(router.port, { host: 'retry.localhost', path: '/' })).status).toBe(200);
    router.table.addEndpoint('gone', { id: 'dead', process: 'web.1', port: dead });
    const refused = await send(router.port, { host: 'gone.localhost', headers: json });
    expect([refused.status, JSON.parse(refused.body).error.code]).toEqual([502, 'H13']);
    expect(JSON.parse(refused.body).error.message).toContain('refused the connection');
  });

  it('balances by least outstanding requests: a process busy with a slow request gets the next ones', async () => {
    const patient = await startRouter();
    const second = await startProbe('web.2');
    patient.table.addEndpoint('lor', { id: 'a', process: 'web.1', port: probe.port });
    patient.table.addEndpoint('lor', { id: 'b', process: 'web.2', port: second.port });
    const slow = send(patient.port, { host: 'lor.localhost', path: '/slow?ms=2500' });
    await sleep(50);
    const busy = patient.table.endpoints('lor').find((e) => e.inflight === 1)?.process;
    expect(busy).toBeDefined();
    const served = [];
    for (let i = 0; i < 6; i++) served.push(JSON.parse((await send(patient.port, { host: 'lor.localhost', path: '/' })).body).process);
    expect(served.every((p) => p !== busy)).toBe(true);
    expect(JSON.parse((await slow).body).process).toBe(busy);
    await second.stop();
    await patient.close();
  });

  it('a drain waits for the requests in flight, and new requests go elsewhere meanwhile', async () => {
    const second = await startProbe('web.2');
    router.table.addEndpoint('drain', { id: 'old', process: 'web.1', port: probe.port });
    const slow = new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: router.port, path: '/slow?ms=500', headers: { host: 'drain.localhost' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).end();
    });
    await sleep(100);
    router.table.addEndpoint('drain', { id: 'new', process: 'web.2', port: second.port });
    const started = Date.now();
    const drained = router.table.drain('drain', 'old', 5000);
    expect(JSON.parse((await send(router.port, { host: 'drain.localhost', path: '/' })).body).process).toBe('web.2');
    await drained;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await slow).toBe(200);
    await second.stop();
  });
});
