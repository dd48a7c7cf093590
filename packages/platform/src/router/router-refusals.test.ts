import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, send, startRouter, type RawResult, type TestRouter } from '../test-support/router-harness.js';

/** The status and JSON body of a raw exchange, with what X-Dozen-Error said. */
function parse(result: RawResult): { status: number; code: string | undefined; type: string | undefined; body: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(result.text)?.[1] ?? 0);
  const split = result.text.indexOf('\r\n\r\n');
  const head = result.text.slice(0, split);
  return {
    status,
    code: /^X-Dozen-Error: (.+)$/im.exec(head)?.[1]?.trim(),
    type: /^Content-Type: (.+)$/im.exec(head)?.[1]?.trim(),
    body: JSON.parse(result.text.slice(split + 4)),
  };
}

/** The API's error shape, exactly: `{ error: { code, message, hint, requestId? } }`, all non-empty strings. */
function expectErrorShape(body: unknown, code: string): void {
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys(error).filter((key) => key !== 'requestId').sort()).toEqual(['code', 'hint', 'message']);
  expect(error.code).toBe(code);
  for (const key of ['message', 'hint']) expect(typeof error[key] === 'string' && (error[key] as string).length > 0, key).toBe(true);
}

// The start of a TLS 1.2 ClientHello (record type 22, version 3.1), as a browser sends to https://.
const CLIENT_HELLO = Buffer.from('160301020001000200fc0303' + 'ab'.repeat(32) + '20' + 'cd'.repeat(32), 'hex');

/** Issue 11: bytes that are not HTTP, and the shape of every error body the router writes itself. */
describe('router: refusals', () => {
  let router: TestRouter;
  beforeAll(async () => {
    // The default head timeout (10 s): an answer within a second cannot be the 408.
    router = await startRouter();
  });
  afterAll(() => router.close());

  it.each([
    ['a TLS ClientHello', CLIENT_HELLO],
    ['an HTTP/0.9 request line', 'GET /\r\n'],
    ['an HTTP/0.9 request line with LF only', 'GET /index.html\n'],
    ['a request line with no version', 'GET / \r\n'],
    ['a binary first byte', Buffer.from([0, 1, 2, 3])],
  ])('answers %s with an immediate 400 in the error shape, and closes', async (_name, bytes) => {
    const started = Date.now();
    const result = await rawExchange(router.port, [bytes], 3000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.closed).toBe(true);
    const { status, code, type, body } = parse(result);
    expect([status, code, type]).toEqual([400, 'HTTP_400', 'application/json; charset=utf-8']);
    expectErrorShape(body, 'HTTP_400');
  });

  it('keeps waiting for a request line that is still arriving', async () => {
    for (const prefix of ['G', 'GET', 'GET ', 'GET /a/b', 'GET /a HTTP/', `GET / HTTP/1.1\r\nHost: x.localhost`]) {
      const result = await rawExchange(router.port, [prefix], 400);
      expect([result.text, result.closed], JSON.stringify(prefix)).toEqual(['', false]);
    }
  });

  it.each([
    ['431 (a head over 64 KB)', [`GET / HTTP/1.1\r\nHost: a.localhost\r\n${`X-Part: ${'b'.repeat(4000)}\r\n`.repeat(17)}\r\n`], 431],
    ['431 (a header line over 8 KB, still arriving)', [`GET / HTTP/1.1\r\nHost: a.localhost\r\nX-Big: ${'a'.repeat(9000)}`], 431],
    ['414 (a request line over 8 KB)', [`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: a.localhost\r\n\r\n`], 414],
    ['400 (two Content-Length headers)', ['POST / HTTP/1.1\r\nHost: a.localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'], 400],
    ['501 (an unknown method)', ['BREW / HTTP/1.1\r\nHost: a.localhost\r\n\r\n'], 501],
    ['505 (HTTP/2.0 as text)', ['GET / HTTP/2.0\r\nHost: a.localhost\r\n\r\n'], 505],
  ])('answers %s in the error shape, whatever the request accepts', async (_name, chunks, expected) => {
    const { status, code, type, body } = parse(await rawExchange(router.port, chunks));
    expect([status, code, type]).toEqual([expected, `HTTP_${expected}`, 'application/json; charset=utf-8']);
    expectErrorShape(body, `HTTP_${expected}`);
  });

  it('answers 408 for a head that stops arriving, in the error shape', async () => {
    const slow = await startRouter({ headTimeoutMs: 300 });
    try {
      const { status, body } = parse(await rawExchange(slow.port, ['GET / HTTP/1.1\r\nHost: a.localhost\r\n'], 3000));
      expect(status).toBe(408);
      expectErrorShape(body, 'HTTP_408');
    } finally {
      await slow.close();
    }
  });

  it('answers NO_SUCH_APP, H10 and H13 to a client asking for JSON in the error shape, with the request id once routed', async () => {
    const none = await send(router.port, { host: 'nope.localhost', headers: { accept: 'application/json' } });
    expect(none.status).toBe(404);
    expectErrorShape(JSON.parse(none.body), 'NO_SUCH_APP');
    router.table.addEndpoint('crashy', { id: 'gone', process: 'web.1', port: 1 });
    router.table.removeEndpoint('crashy', 'gone');
    const crashed = await send(router.port, { host: 'crashy.localhost', headers: { accept: 'application/json' } });
    expect(crashed.status).toBe(503);
    expectErrorShape(JSON.parse(crashed.body), 'H10');
    // Port 1 refuses connections: the router has routed the request (it has an id) and answers H13.
    router.table.addEndpoint('dead', { id: 'dead', process: 'web.1', port: 1 });
    const dead = await send(router.port, { host: 'dead.localhost', headers: { accept: 'application/json', 'x-request-id': 'shape-check' } });
    expect(dead.status).toBe(502);
    const body = JSON.parse(dead.body) as { error: { requestId?: string } };
    expectErrorShape(body, 'H13');
    expect(body.error.requestId).toBe('shape-check');
  });
});
