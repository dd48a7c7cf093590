import { describe, expect, it } from 'vitest';
import { forwardingLines, writeRequestHead } from './head-writer.js';
import { HeadError, parseRequestHead, type RequestHead } from './request-head.js';

const limits = { maxLineBytes: 8192, maxHeadBytes: 65536, maxHeaders: 100 };

function parse(text: string): RequestHead | HeadError {
  const buf = Buffer.from(text, 'latin1');
  return parseRequestHead(buf, 0, buf.length, limits);
}

function ok(text: string): RequestHead {
  const head = parse(text);
  if (head instanceof HeadError) throw new Error(`refused: ${head.reason}`);
  return head;
}

const forwarded = (head: RequestHead, trusted = false) => writeRequestHead(head, { peer: '10.1.2.3', trusted, proto: 'http', forwarding: trusted ? null : forwardingLines('10.1.2.3', '5000', 'http') }, '5000', 'rid-1').toString('latin1');

describe('parseRequestHead', () => {
  it('reads a plain request and forwards the client headers byte for byte', () => {
    const head = ok('GET /a?b=c HTTP/1.1\r\nHost: hello.localhost:5000\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n');
    expect(head).toMatchObject({ method: 'GET', target: '/a?b=c', http10: false, host: 'hello.localhost:5000', body: 'none', keepAlive: true, upgrade: null });
    expect(forwarded(head)).toBe(
      'GET /a?b=c HTTP/1.1\r\nHost: hello.localhost:5000\r\nUser-Agent: t\r\nAccept: */*\r\n' +
        'X-Forwarded-For: 10.1.2.3\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 5000\r\nX-Forwarded-Host: hello.localhost:5000\r\nX-Request-Id: rid-1\r\nVia: 1.1 dozen\r\n\r\n',
    );
  });

  it('knows the body framing: Content-Length, chunked, none', () => {
    expect(ok('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n')).toMatchObject({ body: 'length', contentLength: 12 });
    expect(ok('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n')).toMatchObject({ body: 'chunked' });
    expect(ok('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ body: 'none' });
  });

  it('strips hop-by-hop headers, those the Connection header lists, and forged forwarding headers', () => {
    const head = ok(
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret, Authorization, Content-Length\r\nKeep-Alive: 5\r\nTE: trailers\r\nProxy-Authorization: x\r\n' +
        'X-Secret: s\r\nAuthorization: Bearer t\r\nX-Forwarded-For: 1.2.3.4\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\nX-Forwarded-User: admin\r\nForwarded: for=1.2.3.4\r\nX-Real-IP: 1.2.3.4\r\nX-Request-Id: keep-me_1\r\nUpgrade: h2c\r\nCookie: c=1\r\n\r\n',
    );
    const out = forwarded({ ...head, requestId: null }).toLowerCase();
    for (const gone of ['keep-alive:', 'te:', 'proxy-authorization', 'x-secret', 'authorization:', 'x-forwarded-user', 'forwarded:', 'x-real-ip', 'upgrade', '1.2.3.4', 'evil', 'https', 'connection']) expect(out).not.toContain(gone);
    expect(out).toContain('cookie: c=1');
    expect(out).toContain('x-forwarded-for: 10.1.2.3\r\n');
    expect(head.requestId).toBe('keep-me_1');
  });

  it('keeps and extends X-Forwarded-* from a trusted proxy', () => {
    const head = ok('GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Forwarded-User: u\r\n\r\n');
    const out = forwarded(head, true);
    expect(out).toContain('X-Forwarded-For: 1.1.1.1, 10.1.2.3\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\n');
    expect(out).toContain('X-Forwarded-User: u\r\n');
  });

  it('refuses an invalid X-Request-Id (a new one is made) and accepts a valid one', () => {
    expect(ok('GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: bad id with spaces\r\n\r\n').requestId).toBeNull();
    expect(ok('GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: 7f1c0e4e-1c2b-4f3a-9d8e-123456789abc\r\n\r\n').requestId).toBe('7f1c0e4e-1c2b-4f3a-9d8e-123456789abc');
  });

  it('tunnels WebSocket upgrades but refuses h2c (the request goes on without Upgrade)', () => {
    expect(ok('GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n').upgrade).toBe('websocket');
    expect(ok('GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n').upgrade).toBeNull();
    expect(ok('GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n').upgrade).toBeNull();
  });

  it('reads HTTP/1.0 (closes after), absolute-form targets, Expect: 100-continue, OPTIONS *', () => {
    expect(ok('GET / HTTP/1.0\r\n\r\n')).toMatchObject({ http10: true, keepAlive: false, host: null });
    expect(ok('GET http://Hello.localhost/x?y HTTP/1.1\r\nHost: hello.localhost\r\n\r\n')).toMatchObject({ target: '/x?y', host: 'Hello.localhost' });
    expect(ok('PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n').expectContinue).toBe(true);
    expect(ok('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n').target).toBe('*');
    expect(ok('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n').keepAlive).toBe(false);
  });

  // Each of these could be read two ways by two parsers; the router refuses them all.
  it.each([
    ['CL.TE', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['TE.CL', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n', 400],
    ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n', 400],
    ['two equal Content-Lengths', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n', 400],
    ['a list Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\n', 400],
    ['Content-Length: +1', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n', 400],
    ['Content-Length: -1', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n', 400],
    ['Content-Length in hex', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n', 400],
    ['a huge Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n', 400],
    ['TE: xchunked', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n', 501],
    ['TE: chunked, identity', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n', 501],
    ['TE: gzip, chunked', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
    ['TE: chunked twice', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['TE with a NUL', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\x00\r\n\r\n', 400],
    ['TE with a vertical tab', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0bchunked\r\n\r\n', 400],
    ['space before the colon', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n', 400],
    ['obs-fold', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n', 400],
    ['obs-fold of another header', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n', 400],
    ['TE in HTTP/1.0', 'POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['bare CR in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n', 400],
    ['bare LF in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\nX-B: c\r\n\r\n', 400],
    ['a NUL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n', 400],
    ['DEL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x7fc\r\n\r\n', 400],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n', 400],
    ['an empty header name', 'GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n', 400],
    ['an invalid byte in a name', 'GET / HTTP/1.1\r\nHost: a\r\nX\x01A: b\r\n\r\n', 400],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
    ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n', 400],
    ['a bad Host', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400],
    ['a Host with a slash', 'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 400],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a control byte in the target', 'GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a lowercase version', 'GET / http/1.1\r\nHost: a\r\n\r\n', 400],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
    ['HTTP/1.2', 'GET / HTTP/1.2\r\nHost: a\r\n\r\n', 505],
    ['a bad method', 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['an unknown method', 'GE0T / HTTP/1.1\r\nHost: a\r\n\r\n', 501],
    ['a lowercase method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n', 501],
    ['CONNECT', 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n', 501],
    ['an absolute target for another host', 'GET http://evil/ HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a relative target', 'GET a/b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['Expect: something else', 'GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n', 417],
  ])('refuses %s', (_name, text, status) => {
    const result = parse(text);
    expect(result).toBeInstanceOf(HeadError);
    expect((result as HeadError).status).toBe(status);
  });

  it('enforces the line, head and header-count limits (414, 431)', () => {
    expect((parse(`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: a\r\n\r\n`) as HeadError).status).toBe(414);
    expect((parse(`GET / HTTP/1.1\r\nHost: a\r\nX-A: ${'a'.repeat(9000)}\r\n\r\n`) as HeadError).status).toBe(431);
    const many = Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join('');
    expect((parse(`GET / HTTP/1.1\r\nHost: a\r\n${many}\r\n`) as HeadError).status).toBe(431);
  });
});
