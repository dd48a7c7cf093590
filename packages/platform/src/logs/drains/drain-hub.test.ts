import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drain, LogRecord } from '../../core/model.js';
import { HttpsSink, makeCertificate, SyslogSink, until } from '../../test-support/log-sinks.js';
import { LocalDrainHub, type DrainHubOptions } from './drain-hub.js';

const cert = makeCertificate(['localhost', '127.0.0.1']);
const fastBackoff = { baseMs: 20, maxMs: 200, random: () => 0.5 };
const hubs: LocalDrainHub[] = [];
const hub = (options: Partial<DrainHubOptions> = {}) => {
  const made = new LocalDrainHub({ allowLoopback: true, ownPorts: () => [7000, 5000], bufferLines: 1000, backoff: fastBackoff, ca: cert.cert, ...options });
  hubs.push(made);
  return made;
};
let nextId = 1;
const record = (message: string, process = 'web.1'): LogRecord => ({ app: 'shop', source: 'app', process, message, id: nextId++, timeMicros: Date.UTC(2026, 10, 24, 20, 15, 3) * 1000 + 123_456 });
const drain = (url: string, id = `d${nextId++}`): Drain => ({ id, appId: 'app-1', url, createdAt: new Date().toISOString() });
/** produced = delivered + dropped + queued, exactly. */
const accounted = (h: LocalDrainHub, id: string) => {
  const s = h.stats(id);
  return s.delivered + s.dropped + s.queued;
};

afterAll(async () => {
  await Promise.all(hubs.map((h) => h.shutdown()));
});

describe('drain URLs and where they may point', () => {
  it.each([
    ['ftp://logs.example.com', 'DRAIN_URL_INVALID'],
    ['unix:/var/run/syslog', 'DRAIN_URL_INVALID'],
    ['http://logs.example.com/in', 'DRAIN_URL_INVALID'],
    ['syslog://', 'DRAIN_URL_INVALID'],
    ['not a url', 'DRAIN_URL_INVALID'],
    ['https://169.254.169.254/latest/meta-data', 'DRAIN_URL_FORBIDDEN'],
    ['syslog://[fe80::1]:514', 'DRAIN_URL_FORBIDDEN'],
    ['syslog://0.0.0.0:514', 'DRAIN_URL_FORBIDDEN'],
    ['syslog://127.0.0.1:7000', 'DRAIN_URL_FORBIDDEN'],
    ['https://localhost:5000/', 'DRAIN_URL_FORBIDDEN'],
    ['syslog://[::ffff:169.254.169.254]:514', 'DRAIN_URL_FORBIDDEN'],
  ])('refuses %s (%s), even with loopback allowed', async (url, code) => {
    await expect(hub().verify(url)).rejects.toMatchObject({ code });
  });

  it.each(['syslog://127.0.0.1:6514', 'syslog://localhost.:514', 'https://[::1]/x', 'syslog+tls://127.0.0.2:6514'])('refuses loopback %s unless allowed', async (url) => {
    await expect(hub({ allowLoopback: false }).verify(url)).rejects.toMatchObject({ code: 'DRAIN_URL_FORBIDDEN' });
    await expect(hub({ allowLoopback: true }).verify(url)).resolves.toBeUndefined();
  });

  it('checks the address again at connect time (the name may point elsewhere by then)', async () => {
    const h = hub({ allowLoopback: false });
    const d = drain('syslog://localhost:6514');
    h.start('shop', d);
    h.deliver([record('x')]);
    await until(() => h.stats(d.id).lastError !== null, 5000, 'a refusal');
    expect(h.stats(d.id).lastError).toMatch(/loopback/);
    expect(h.stats(d.id).delivered).toBe(0);
  });
});

describe('syslog drains (RFC 5424, RFC 6587 octet counting)', () => {
  let sink: SyslogSink;
  beforeAll(async () => {
    sink = await SyslogSink.start();
  });
  afterAll(() => sink.close());

  it('sends every line as one frame, whatever it contains', async () => {
    const h = hub();
    const d = drain(`syslog://127.0.0.1:${sink.port}`);
    h.start('shop', d);
    const hostile = ['plain', 'with\nnewline', 'nul\u0000byte', '\u001b[31mred\u001b[0m', '123 <13>1 2024-01-01T00:00:00Z host app - - looks like a frame', 'é'.repeat(3000)];
    h.deliver(hostile.map((m) => record(m)));
    await until(() => sink.messages.length >= hostile.length, 5000, 'frames');
    expect(sink.messages).toHaveLength(hostile.length);
    expect(sink.messages[0]).toBe('<190>1 2026-11-24T20:15:03.123456+00:00 shop app web.1 - - plain');
    expect(sink.messages.map((m) => m.replace(/^<190>1 \S+ shop app web\.1 - - /, ''))).toEqual(hostile);
    await until(() => h.stats(d.id).delivered === hostile.length, 5000, 'delivered count');
    expect(h.stats(d.id)).toMatchObject({ delivered: hostile.length, dropped: 0, queued: 0 });
  });

  it('speaks TLS with a certificate it trusts, and refuses one for another name', async () => {
    const tlsSink = await SyslogSink.start(cert);
    const wrong = makeCertificate(['wrong.example']);
    const wrongSink = await SyslogSink.start(wrong);
    try {
      const h = hub();
      const good = drain(`syslog+tls://localhost:${tlsSink.port}`);
      const bad = drain(`syslog+tls://localhost:${wrongSink.port}`);
      h.start('shop', good);
      h.start('shop', bad);
      h.deliver([record('secret line')]);
      await until(() => tlsSink.messages.length === 1 && h.stats(bad.id).retries > 0, 5000, 'tls delivery and refusal');
      expect(tlsSink.messages[0]).toMatch(/ - - secret line$/);
      expect(wrongSink.messages).toEqual([]);
      expect(h.stats(bad.id).lastError).toMatch(/certificate|altnames|self.signed/i);
    } finally {
      await tlsSink.close();
      await wrongSink.close();
    }
  });

  it('keeps retrying a host that refuses connections, bounded, counting every message', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const h = hub({ bufferLines: 50 });
    const d = drain(`syslog://127.0.0.1:${port}`);
    h.start('shop', d);
    for (let i = 0; i < 500; i++) h.deliver([record(`m${i}`)]);
    await until(() => h.stats(d.id).retries >= 3, 5000, 'retries');
    const stats = h.stats(d.id);
    expect(stats.lastError).toMatch(/ECONNREFUSED/);
    expect(stats.queued).toBeLessThanOrEqual(50);
    expect(stats.delivered).toBe(0);
    expect(accounted(h, d.id)).toBe(500);
  });

  it('drops the oldest when the endpoint stops reading, then announces the loss (L10) and delivers the rest', async () => {
    const slow = await SyslogSink.start();
    slow.pause(true);
    const h = hub({ bufferLines: 100 });
    const d = drain(`syslog://127.0.0.1:${slow.port}`);
    h.start('shop', d);
    const produced = 4000;
    const big = 'x'.repeat(4000);
    for (let i = 0; i < produced; i++) h.deliver([record(`${i} ${big}`)]);
    expect(accounted(h, d.id)).toBe(produced);
    expect(h.stats(d.id).dropped).toBeGreaterThan(0);
    slow.pause(false);
    await until(() => h.stats(d.id).queued === 0, 15_000, 'the queue to empty');
    const stats = h.stats(d.id);
    expect(stats.delivered + stats.dropped).toBe(produced);
    // Delivered is written to the connection; the sink reads it a moment later (on a busy machine, later still).
    await until(() => slow.messages.filter((m) => !m.includes('Error L10')).length >= stats.delivered, 15_000, 'the sink to read what was delivered');
    const notices = slow.messages.filter((m) => m.includes('Error L10'));
    const lines = slow.messages.filter((m) => !m.includes('Error L10'));
    expect(lines).toHaveLength(stats.delivered);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatch(/dozen logs - - Error L10 \(output buffer overflow\): \d+ messages dropped since 2026-11-24T20:15:03/);
    const dropped = notices.reduce((n, m) => n + Number(/: (\d+) messages/.exec(m)?.[1]), 0);
    expect(dropped).toBe(stats.dropped);
    // newest kept: the last line produced arrived
    expect(lines.at(-1)).toContain(` - - ${produced - 1} x`);
    await slow.close();
  });
});

describe('https drains (logplex framing)', () => {
  let sink: HttpsSink;
  beforeAll(async () => {
    sink = await HttpsSink.start(cert);
  });
  afterAll(() => sink.close());

  it('posts batches as application/logplex-1 and retries a 500 with the same frame id', async () => {
    sink.posts.length = 0;
    sink.respond = (_post, i) => (i < 2 ? 500 : 200);
    const h = hub();
    const d = drain(`https://user:s3cret@localhost:${sink.port}/logs?token=abc`);
    h.start('shop', d);
    h.deliver([record('one'), record('two'), record('three')]);
    await until(() => h.stats(d.id).delivered === 3, 10_000, 'delivery after retries');
    expect(sink.posts).toHaveLength(3);
    const [first] = sink.posts;
    expect(first?.headers['content-type']).toBe('application/logplex-1');
    expect(first?.headers['logplex-msg-count']).toBe('3');
    expect(first?.headers.authorization).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
    expect(new Set(sink.posts.map((p) => p.headers['logplex-frame-id'])).size).toBe(1);
    expect(first?.messages.map((m) => m.split(' - - ')[1])).toEqual(['one', 'two', 'three']);
    expect(h.stats(d.id)).toMatchObject({ delivered: 3, dropped: 0, retries: 2, queued: 0, lastError: 'HTTP 500' });
  });

  it('drops a batch refused for good (400) and counts it, without retrying', async () => {
    sink.posts.length = 0;
    sink.respond = (post) => (post.messages.some((m) => m.endsWith('bad')) ? 400 : 200);
    const h = hub();
    const d = drain(`https://localhost:${sink.port}/`);
    h.start('shop', d);
    h.deliver([record('bad')]);
    await until(() => h.stats(d.id).dropped === 1, 5000, 'the drop');
    h.deliver([record('good')]);
    await until(() => h.stats(d.id).delivered === 1, 5000, 'the next delivery');
    expect(sink.posts).toHaveLength(2);
    expect(h.stats(d.id)).toMatchObject({ delivered: 1, dropped: 1, retries: 0, queued: 0 });
    expect(h.stats(d.id).lastError).toMatch(/HTTP 400/);
  });

  it('gives up on a request that hangs after the timeout and retries it', async () => {
    sink.posts.length = 0;
    sink.respond = (_post, i) => (i === 0 ? 'hang' : 204);
    const h = hub();
    const d = drain(`https://localhost:${sink.port}/`);
    h.start('shop', d);
    const started = Date.now();
    h.deliver([record('slow one')]);
    await until(() => h.stats(d.id).delivered === 1, 12_000, 'delivery after the timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(h.stats(d.id)).toMatchObject({ delivered: 1, retries: 1, lastError: 'no answer within 5 s' });
    expect(sink.posts[0]?.headers['logplex-frame-id']).toBe(sink.posts[1]?.headers['logplex-frame-id']);
  });
});
