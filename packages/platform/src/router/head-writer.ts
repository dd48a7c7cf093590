import { Fate, type RequestHead } from './request-head.js';
import type { ResponseHead } from './response-head.js';

/** What the router knows about the client connection a request came on. */
export interface ForwardFacts {
  /** The client's address (the TCP peer). */
  readonly peer: string;
  /** The peer is a configured trusted proxy: its X-Forwarded-* headers are kept and extended. */
  readonly trusted: boolean;
  /** For an untrusted peer, `forwardingLines(peer, port, proto)`, computed once per connection. */
  readonly forwarding: string | null;
  /** The protocol the client used (`http` or `https`). */
  readonly proto: string;
}

/** X-Forwarded-For/Proto/Port for a client whose own X-Forwarded-* are not believed. */
export function forwardingLines(peer: string, port: string, proto: string): string {
  return `X-Forwarded-For: ${peer}\r\nX-Forwarded-Proto: ${proto}\r\nX-Forwarded-Port: ${port}\r\n`;
}

/**
 * The head the app receives: the client's end-to-end headers byte for byte, framing written by
 * the router, hop-by-hop headers and forged X-Forwarded-* removed, the router's own added.
 */
export function writeRequestHead(head: RequestHead, facts: ForwardFacts, port: string, requestId: string): Buffer {
  let tail = '';
  if (head.body === 'length') tail = `Content-Length: ${head.contentLength}\r\n`;
  else if (head.body === 'chunked') tail = 'Transfer-Encoding: chunked\r\n';
  if (head.upgrade !== null) tail += `Connection: upgrade\r\nUpgrade: ${head.upgrade}\r\n`;
  if (head.expectContinue) tail += 'Expect: 100-continue\r\n';
  if (facts.forwarding !== null && !facts.trusted) {
    tail += facts.forwarding;
    if (head.host !== null) tail += `X-Forwarded-Host: ${head.host}\r\n`;
  } else {
    tail += trustedLines(head, facts, port);
  }
  tail += `X-Request-Id: ${requestId}\r\nVia: 1.1 dozen\r\n\r\n`;
  // An HTTP/1.1 request line in origin-form goes on byte for byte.
  if (head.lineStart >= 0) return assemble(head.buf, '', head.lineStart, head.lineEnd + 2, head.lines, facts.trusted ? Fate.Forwarding : Fate.Keep, head.connectionNames, tail, null);
  const first = `${head.method} ${head.target} HTTP/1.1\r\n`;
  return assemble(head.buf, first, 0, 0, head.lines, facts.trusted ? Fate.Forwarding : Fate.Keep, head.connectionNames, tail, null);
}

function trustedLines(head: RequestHead, facts: ForwardFacts, port: string): string {
  const trusted = facts.trusted;
  const xff = trusted && head.xForwardedFor !== null ? `${head.xForwardedFor}, ${facts.peer}` : facts.peer;
  let lines = `X-Forwarded-For: ${xff}\r\nX-Forwarded-Proto: ${(trusted && head.xForwardedProto) || facts.proto}\r\nX-Forwarded-Port: ${(trusted && head.xForwardedPort) || port}\r\n`;
  const host = (trusted && head.xForwardedHost) || head.host;
  if (host) lines += `X-Forwarded-Host: ${host}\r\n`;
  return lines;
}

/**
 * The head the client receives: `HTTP/1.1` and the app's status, the app's end-to-end headers,
 * `Connection: close` when the router will close, and Via; then `body` when given, so that a
 * small response leaves in one write. When `decode` is set (an HTTP/1.0 client and a chunked
 * body) the Transfer-Encoding is dropped: the router sends the data only.
 */
export function writeResponseHead(head: ResponseHead, close: boolean, decode: boolean, body: Buffer | null = null, extra = ''): Buffer {
  const via = close ? 'Connection: close\r\nVia: 1.1 dozen\r\n\r\n' : 'Via: 1.1 dozen\r\n\r\n';
  const tail = extra === '' ? via : extra + via;
  return assemble(head.buf, 'HTTP/1.1 ', head.codeStart, head.statusLineEnd + 2, head.lines, decode ? Fate.Keep : Fate.Coding, head.connectionNames, tail, body);
}

/**
 * `first`, then `buf[from, to)`, then the header lines whose fate is Keep (or `alsoKeep`),
 * merging adjacent lines into one copy, then `tail` and `body`.
 */
function assemble(buf: Buffer, first: string, from: number, to: number, lines: number[], alsoKeep: number, names: string[] | null, tail: string, body: Buffer | null): Buffer {
  let size = first.length + (to - from) + tail.length + (body === null ? 0 : body.length);
  for (let i = 0; i < lines.length; i += 3) {
    const fate = lines[i + 2] as number;
    if (fate === Fate.Keep || fate === alsoKeep) size += (lines[i + 1] as number) - (lines[i] as number) + 2;
  }
  const out = Buffer.allocUnsafe(size);
  let o = out.write(first, 0, 'latin1');
  let runStart = from;
  let runEnd = to;
  for (let i = 0; i < lines.length; i += 3) {
    const s = lines[i] as number;
    const e = (lines[i + 1] as number) + 2;
    const fate = lines[i + 2] as number;
    if ((fate !== Fate.Keep && fate !== alsoKeep) || (names !== null && listedIn(buf, s, names))) continue;
    if (s === runEnd) {
      runEnd = e;
      continue;
    }
    if (runEnd > runStart) o += buf.copy(out, o, runStart, runEnd);
    runStart = s;
    runEnd = e;
  }
  if (runEnd > runStart) o += buf.copy(out, o, runStart, runEnd);
  o += out.write(tail, o, 'latin1');
  if (body !== null) o += body.copy(out, o);
  // Lines named by the Connection header were counted but not copied.
  return o === size ? out : out.subarray(0, o);
}

/** The header at `start` is one the Connection header lists (the rare, slower path). */
function listedIn(buf: Buffer, start: number, names: string[]): boolean {
  const colon = buf.indexOf(58, start);
  return names.includes(buf.toString('latin1', start, colon).toLowerCase());
}
