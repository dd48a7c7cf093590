import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { blackholePort, freePort, send, sleep, startProbe, startRouter, type Probe, type TestRouter } from '../test-support/router-harness.js';

const json = { accept: 'application/json' };

interface Stats {
  requests: number;
}

/**
 * Issue 5: "a connection-level failure before any byte was sent upstream is retried once on
 * another process; nothing else is retried". Two real app processes behind the real router.
 */
describe('router: retries across two processes', () => {
  let router: TestRouter;
  let one: Probe;
  let two: Probe;
  /** Requests a probe has seen, asked directly (not through the router); this ask counts itself. */
  const seen = async (probe: Probe) => (JSON.parse((await send(probe.port, { host: 'direct', path: '/stats' })).body) as Stats).requests;

  beforeAll(async () => {
    // A short head timeout makes the router sweep (and so notice the connect timeout) every 300 ms.
    router = await startRouter({ headTimeoutMs: 1500 }, [], { connectTimeoutMs: 300 });
    [one, two] = await Promise.all([startProbe('web.1'), startProbe('web.2')]);
  });
  afterAll(async () => {
    await router.close();
    await Promise.all([one.stop(), two.stop()]);
  });

  it('a refused connection is retried once on the other process, which answers', async () => {
    const dead = await freePort();
    router.table.addEndpoint('refused', { id: 'dead', process: 'web.1', port: dead });
    router.table.addEndpoint('refused', { id: 'live', process: 'web.2', port: two.port });
    const before = await seen(two);
    // Least outstanding with ties round-robin sends every other request to the dead process first.
    for (let i = 0; i < 6; i++) {
      const reply = await send(router.port, { host: 'refused.localhost', path: '/', method: i % 2 === 0 ? 'GET' : 'POST', body: i % 2 === 0 ? undefined : 'payload', headers: json });
      expect([reply.status, JSON.parse(reply.body).process]).toEqual([200, 'web.2']);
    }
    // Each of the six reached web.2 exactly once: a retried request is not doubled.
    expect((await seen(two)) - before).toBe(6 + 1);
    expect(router.router.metrics.app('refused').errors.size).toBe(0);
    const lines = router.lines.filter((l) => l.app === 'refused').map((l) => l.message);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(/^at=info .* process=web\.2 .* status=200 /);
  });

  it.each([
    ['GET', '/bad/close', undefined],
    ['POST', '/bad/close', 'charge the card once'],
    ['GET', '/bad/reset', undefined],
    ['POST', '/bad/reset', 'charge the card once'],
  ])('a %s whose connection was closed (%s) after it was written is not replayed on the other process (502, H13)', async (method, path, body) => {
    const app = `broken-${method.toLowerCase()}-${path.slice(5)}`;
    router.table.addEndpoint(app, { id: 'a', process: 'web.1', port: one.port });
    router.table.addEndpoint(app, { id: 'b', process: 'web.2', port: two.port });
    for (let i = 0; i < 2; i++) {
      const [before1, before2] = [await seen(one), await seen(two)];
      const reply = await send(router.port, { host: `${app}.localhost`, path, method, body, headers: json });
      expect([reply.status, reply.headers['x-dozen-error']]).toEqual([502, 'H13']);
      expect(JSON.parse(reply.body).error.message).toContain('closed the connection without answering');
      // Exactly one process saw the request (and each saw the one /stats ask that follows).
      const deltas = [(await seen(one)) - before1 - 1, (await seen(two)) - before2 - 1];
      expect(deltas.sort()).toEqual([0, 1]);
    }
    const lines = router.lines.filter((l) => l.app === app).map((l) => l.message);
    // Two requests, one started on each process (round-robin), and neither moved elsewhere.
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => /process=(web\.\d)/.exec(l)?.[1]).sort()).toEqual(['web.1', 'web.2']);
    for (const line of lines) expect(line).toMatch(/^at=error code=H13 .* status=502 /);
  });

  it('a connection that times out connecting is retried once on the other process (docs/decisions.md)', async () => {
    const blackhole = await blackholePort();
    try {
      router.table.addEndpoint('stuck', { id: 'stuck', process: 'web.1', port: blackhole.port });
      router.table.addEndpoint('stuck', { id: 'live', process: 'web.2', port: two.port });
      const before = await seen(two);
      const timings: number[] = [];
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const reply = await send(router.port, { host: 'stuck.localhost', path: '/', headers: json });
        timings.push(Date.now() - started);
        expect([reply.status, JSON.parse(reply.body).process]).toEqual([200, 'web.2']);
      }
      expect((await seen(two)) - before).toBe(2 + 1);
      // One of the two went to the stuck process first and waited for the connect timeout (300 ms).
      expect(Math.max(...timings)).toBeGreaterThanOrEqual(300);
      // Alone, the stuck process gets no second try: 502 H13 after the connect timeout, not a hang.
      router.table.addEndpoint('stuck-alone', { id: 'stuck', process: 'web.1', port: blackhole.port });
      const alone = await send(router.port, { host: 'stuck-alone.localhost', path: '/', headers: json });
      expect([alone.status, JSON.parse(alone.body).error.code]).toEqual([502, 'H13']);
      expect(JSON.parse(alone.body).error.message).toContain('ETIMEDOUT');
    } finally {
      await blackhole.stop();
    }
  });
});

describe('router: the per-app open connections gauge', () => {
  let router: TestRouter;
  let probe: Probe;
  const gauge = (app: string) => router.router.metrics.collect().find((f) => f.name === 'dozen_router_app_open_connections')?.samples.find((s) => s.labels.app === app)?.value;

  beforeAll(async () => {
    router = await startRouter();
    probe = await startProbe();
    router.table.addEndpoint('held', { id: 'p1', process: 'web.1', port: probe.port });
    router.table.addEndpoint('other', { id: 'p1', process: 'web.1', port: probe.port });
  });
  afterAll(async () => {
    await router.close();
    await probe.stop();
  });

  it('counts requests in flight and open WebSockets of the app, and drops when they end', async () => {
    await send(router.port, { host: 'other.localhost', path: '/' });
    const slow = Array.from({ length: 3 }, () => send(router.port, { host: 'held.localhost', path: '/slow?ms=1500' }));
    const sockets = await Promise.all(
      Array.from({ length: 2 }, () => new Promise<WebSocket>((open, fail) => {
        const ws = new WebSocket(`ws://127.0.0.1:${router.port}/ws`, { headers: { host: 'held.localhost' } });
        ws.once('message', () => open(ws));
        ws.once('error', fail);
      })),
    );
    await sleep(100);
    expect(gauge('held')).toBe(5);
    expect(gauge('other')).toBe(0);
    for (const reply of await Promise.all(slow)) expect(reply.status).toBe(200);
    expect(gauge('held')).toBe(2);
    await Promise.all(sockets.map((ws) => new Promise((closed) => {
      ws.once('close', closed);
      ws.close();
    })));
    for (let i = 0; i < 50 && gauge('held') !== 0; i++) await sleep(20);
    expect(gauge('held')).toBe(0);
  });
});
