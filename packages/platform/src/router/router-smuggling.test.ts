import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, rawExchange, recordingBackend, sleep, startRouter, type Recorder, type TestRouter } from '../test-support/router-harness.js';

const H = 'Host: app.localhost\r\n';
const SMUGGLED = 'GET /admin HTTP/1.1\r\nHost: app.localhost\r\n\r\n';

/**
 * Framing attacks (reliability catalogue B9): each gets a 4xx/5xx, the connection closed, no
 * second response, and not one byte reaches the app (a backend that records what it receives).
 */
describe('router: requests with ambiguous framing never reach the app', () => {
  let router: TestRouter;
  let recorder: Recorder;

  beforeAll(async () => {
    router = await startRouter();
    recorder = await recordingBackend();
    router.table.addEndpoint('app', { id: 'r', process: 'web.1', port: recorder.port });
  });
  afterAll(async () => {
    await router.close();
    await recorder.close();
  });

  it.each([
    ['CL.TE', `POST / HTTP/1.1\r\n${H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
    ['TE.CL', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n`, 400],
    ['TE.TE (xchunked)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 501],
    ['TE.TE (chunked twice)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
    ['TE.TE (space before the colon)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n`, 400],
    ['TE.TE (obs-fold)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
    ['TE.TE (chunked, identity)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`, 501],
    ['TE.TE (vertical tab)', `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n`, 400],
    ['Content-Length: +1', `POST / HTTP/1.1\r\n${H}Content-Length: +1\r\n\r\nA`, 400],
    ['two Content-Lengths', `POST / HTTP/1.1\r\n${H}Content-Length: 4\r\nContent-Length: 40\r\n\r\nABCD${SMUGGLED}`, 400],
    ['an invalid chunk size', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n${SMUGGLED}`, 400],
    ['a chunk size with a space', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n`, 400],
    ['a bare LF line end', `GET / HTTP/1.1\n${H}\n`, 400],
    ['a bare CR in a header', `GET / HTTP/1.1\r\n${H}X-A: b\rX-B: c\r\n\r\n`, 400],
    ['a NUL in a header', `GET / HTTP/1.1\r\n${H}X-A: b\x00\r\n\r\n`, 400],
    ['a non-ASCII byte in a name', `GET / HTTP/1.1\r\n${H}X-\xe9: b\r\n\r\n`, 400],
    ['a duplicate Host', `GET / HTTP/1.1\r\n${H}Host: other.localhost\r\n\r\n`, 400],
    ['TE in HTTP/1.0', `POST / HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
  ])('%s: refused with the connection closed', async (_name, request, status) => {
    const before = recorder.received().length;
    const result = await rawExchange(router.port, [request]);
    expect(result.text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(result.text.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    expect(result.closed).toBe(true);
    await sleep(50);
    expect(recorder.received().length).toBe(before);
  });

  it('a pipelined request after a valid one is answered in order, and a smuggling attempt in the body stays body', async () => {
    const body = `0\r\n\r\n${SMUGGLED}`;
    const result = await rawExchange(router.port, [`POST /a HTTP/1.1\r\n${H}Content-Length: ${body.length}\r\n\r\n${body}GET /b HTTP/1.1\r\n${H}Connection: close\r\n\r\n`]);
    expect(result.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    const seen = recorder.received();
    expect(seen).toContain(`POST /a HTTP/1.1`);
    expect(seen).toContain(`Content-Length: ${body.length}\r\n`);
    // The GET /admin text arrived as body bytes of POST /a, framed by the router's Content-Length.
    const postAt = seen.lastIndexOf('POST /a');
    const headEnd = seen.indexOf('\r\n\r\n', postAt) + 4;
    expect(seen.slice(headEnd, headEnd + body.length)).toBe(body);
  });

  it('a chunk that breaks mid-stream aborts the request: the app never gets a complete one', async () => {
    const app = createServer((req: IncomingMessage, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.end('complete'));
    });
    const port = await listen(app);
    let aborted = 0;
    let completed = 0;
    app.on('request', (req: IncomingMessage) => {
      req.on('close', () => (req.complete ? completed++ : aborted++));
    });
    router.table.addEndpoint('strict', { id: 's', process: 'web.1', port });
    const result = await rawExchange(router.port, [`POST / HTTP/1.1\r\nHost: strict.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`, 100, 'Q\r\n']);
    expect(result.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(result.closed).toBe(true);
    await sleep(100);
    expect(completed).toBe(0);
    expect(aborted).toBe(1);
    app.close();
  });
});
