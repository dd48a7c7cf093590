import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCa } from '../../../../test/e2e/support/certs.js';
import { HostTable } from './host-table.js';
import { createRouter, defaultLimits, type Router } from './http-router.js';
import { MemoryRouteTable } from './route-table.js';
import { TlsTable } from './tls-table.js';
import { listen, sleep, startProbe, type Probe } from '../test-support/router-harness.js';
import { readFileSync } from 'node:fs';

const HOST = 'big.dozen.test';

/** The HTTPS listener in front of a real app process: streaming with backpressure, and the SNI table. */
describe('router over TLS', () => {
  let ca: TestCa;
  let probe: Probe;
  let router: Router;
  let port = 0;
  const tls = new TlsTable();
  const streamed = async () => {
    const stats = await get('/stats');
    return (JSON.parse(stats.body.toString()) as { streamed: number }).streamed;
  };
  const get = (path: string, pauseMs = 0): Promise<{ status: number; body: Buffer }> =>
    new Promise((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path, servername: HOST, headers: { host: HOST }, ca: ca.rootPem, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        if (pauseMs > 0) {
          res.pause();
          setTimeout(() => res.resume(), pauseMs);
        }
      });
      req.on('error', fail);
      req.end();
    });

  beforeAll(async () => {
    ca = new TestCa();
    const leaf = ca.leaf('big', [HOST]);
    probe = await startProbe();
    const table = new MemoryRouteTable();
    const hosts = new HostTable('localhost');
    hosts.setDomains('big', [HOST]);
    tls.setCertificates('big', [{ hostnames: [HOST], chainPem: readFileSync(leaf.chain, 'utf8'), keyPem: readFileSync(leaf.key, 'utf8'), notAfter: '2100-01-01T00:00:00.000Z' }]);
    table.addEndpoint('big', { id: 'b1', process: 'web.1', port: probe.port });
    router = createRouter({ table, hosts, tls, logs: { append: () => undefined }, publicPort: () => 0, publicHttpsPort: () => port, limits: defaultLimits });
    port = await listen(router.httpsServer as NonNullable<Router['httpsServer']>);
  });
  afterAll(async () => {
    router.httpsServer?.close();
    router.server.close();
    router.closeAllConnections();
    await probe.stop();
    ca.remove();
  });

  it('streams 32 MB intact to a client that stops reading for a while, holding the app back meanwhile (no stall, no copy lost)', async () => {
    const before = await streamed();
    const pending = get('/big?bytes=33554432', 1500);
    await sleep(1000);
    // The client reads nothing yet: the router stops reading the app, which stops writing.
    expect((await streamed()) - before).toBeLessThan(16 * 1024 * 1024);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(33554432);
    expect(response.body.every((b) => b === 0x78)).toBe(true);
  });

  it('server-sent events: every event, in order', async () => {
    const response = await get('/sse?n=5&ms=20');
    expect(response.body.toString()).toBe([0, 1, 2, 3, 4].map((i) => `id: ${i}\ndata: tick ${i}\n\n`).join(''));
  });
});

describe('TlsTable', () => {
  it('looks names up exactly, then one label down for a wildcard; a later certificate wins a name; an app can be emptied', () => {
    const ca = new TestCa();
    const pem = (label: string, names: string[]) => {
      const leaf = ca.leaf(label, names);
      return { chainPem: readFileSync(leaf.chain, 'utf8'), keyPem: readFileSync(leaf.key, 'utf8') };
    };
    const table = new TlsTable();
    const a = pem('a', ['a.example.com', '*.w.example.com']);
    const b = pem('b', ['a.example.com']);
    table.setCertificates('one', [
      { hostnames: ['a.example.com', '*.w.example.com'], ...a, notAfter: '2030-01-01T00:00:00.000Z' },
      { hostnames: ['a.example.com'], ...b, notAfter: '2031-01-01T00:00:00.000Z' },
    ]);
    const wildcard = table.context('x.w.example.com');
    expect(wildcard).toBeDefined();
    expect(table.context('A.Example.COM.')).toBeDefined();
    expect(table.context('a.example.com')).not.toBe(wildcard);
    expect(table.context('y.x.w.example.com')).toBeUndefined();
    expect(table.context('w.example.com')).toBeUndefined();
    expect(table.context('')).toBeUndefined();
    table.setCertificates('one', [{ hostnames: ['a.example.com'], chainPem: a.chainPem, keyPem: b.keyPem, notAfter: '2030-01-01T00:00:00.000Z' }]);
    // A key that does not match is reported and skipped: the name is then not served at all.
    expect(table.context('a.example.com')).toBeUndefined();
    table.setCertificates('one', []);
    expect(table.context('x.w.example.com')).toBeUndefined();
    table.setHttpsPolicy('one', { redirect: true, hstsMaxAge: 60 });
    expect(table.policy('one')).toEqual({ redirect: true, hsts: 'Strict-Transport-Security: max-age=60\r\n' });
    table.setHttpsPolicy('one', { redirect: false, hstsMaxAge: null });
    expect(table.policy('one')).toBeUndefined();
    ca.remove();
  });
});
