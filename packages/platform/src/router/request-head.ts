import { METHODS } from 'node:http';
import { COLON, CR, equalsLower, FIELD_CHAR, HOST_CHAR, HTAB, LF, lowerTokens, SP, TARGET_CHAR, TCHAR } from './http-syntax.js';

/** Why a request head is refused: the status to answer, and a reason for the log line. */
export class HeadError {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {}
}

export interface HeadLimits {
  /** Longest request line or header line, in bytes (without CRLF). */
  maxLineBytes: number;
  /** Largest head in all. */
  maxHeadBytes: number;
  maxHeaders: number;
}

/**
 * What the router does with a header line when it forwards a message: keep it; drop it
 * (hop-by-hop, framing and forwarding headers: the router writes its own); for other
 * X-Forwarded-* headers, keep it only when the peer is a trusted proxy; for a response's
 * Transfer-Encoding, keep it unless the router decodes the body for an HTTP/1.0 client.
 */
export const Fate = { Keep: 0, Drop: 1, Forwarding: 2, Coding: 3 } as const;
export type Fate = (typeof Fate)[keyof typeof Fate];

/**
 * A parsed request head. Header lines stay in `buf` as [start, end, fate] triples in `lines`, so
 * that forwarding copies bytes instead of re-serialising strings. `lines` is reused by the next
 * parse: it is valid while the head is forwarded (synchronously), not after.
 */
export interface RequestHead {
  buf: Buffer;
  method: string;
  target: string;
  http10: boolean;
  /** Raw Host value, or null when absent. */
  host: string | null;
  body: 'none' | 'length' | 'chunked';
  contentLength: number;
  /** The client did not ask to close (HTTP/1.1 default; HTTP/1.0 always closes here). */
  keepAlive: boolean;
  /** The protocol of an Upgrade to tunnel (never h2c), or null. */
  upgrade: string | null;
  expectContinue: boolean;
  /** A well-formed incoming X-Request-Id, or null. */
  requestId: string | null;
  xForwardedFor: string | null;
  xForwardedProto: string | null;
  xForwardedPort: string | null;
  xForwardedHost: string | null;
  /** Lowercase names the Connection header lists besides close/keep-alive/upgrade. */
  connectionNames: string[] | null;
  lines: number[];
  /** The client asked for JSON and not HTML (for the router's own error pages). */
  wantsJson: boolean;
  /** Where the request line starts and ends (before CRLF) in `buf`, while it can be forwarded as is. */
  lineStart: number;
  lineEnd: number;
}

/** The one `lines` array every parse fills (no array per request). */
const LINES: number[] = [];
const REQUEST_ID = /^[A-Za-z0-9+/=_.:-]{1,200}$/;
/** The methods llhttp (and so every Node.js app server) knows; others get 501 rather than a 400 from the app. */
const KNOWN_METHODS = new Set(METHODS);
/** Framing headers no Connection option may remove: dropping them would change where the body ends. */
const PROTECTED = new Set(['host', 'content-length', 'transfer-encoding']);

/**
 * Parses `buf[start, end)`, which ends with CRLFCRLF, strictly (RFC 9112): anything a lenient
 * parser could read two ways is refused, so the router and the app can never disagree on where a
 * request ends.
 */
export function parseRequestHead(buf: Buffer, start: number, end: number, limits: HeadLimits): RequestHead | HeadError {
  // A whole head that arrived in one read is held to the same total as one that came in parts.
  if (end - start > limits.maxHeadBytes) return new HeadError(431, 'request head too large');
  const head = newHead(buf);
  const afterLine = parseRequestLine(buf, start, end, limits, head);
  if (afterLine instanceof HeadError) return afterLine;
  const state: HeaderState = { host: 0, cl: 0, te: 0, connection: null, upgrade: null, expect: null, teValue: '', clValue: '' };
  const error = parseHeaderLines(buf, afterLine, end, limits, head, state);
  if (error) return error;
  return finish(head, state);
}

function newHead(buf: Buffer): RequestHead {
  LINES.length = 0;
  return {
    buf, method: '', target: '', http10: false, host: null, body: 'none', contentLength: 0, keepAlive: true, upgrade: null, expectContinue: false,
    requestId: null, xForwardedFor: null, xForwardedProto: null, xForwardedPort: null, xForwardedHost: null, connectionNames: null, lines: LINES, lineStart: -1, lineEnd: -1, wantsJson: false,
  };
}

function parseRequestLine(buf: Buffer, start: number, end: number, limits: HeadLimits, head: RequestHead): number | HeadError {
  let i = start;
  while (i < end && TCHAR[buf[i] as number] === 1) i++;
  if (i === start || buf[i] !== SP) return new HeadError(400, 'malformed method');
  head.method = methodName(buf, start, i);
  if (!KNOWN_METHODS.has(head.method)) return new HeadError(501, `unknown method ${JSON.stringify(head.method)}`);
  const targetStart = ++i;
  while (i < end && TARGET_CHAR[buf[i] as number] === 1) i++;
  if (i === targetStart || buf[i] !== SP) return new HeadError(400, 'malformed request-target');
  head.target = buf.toString('latin1', targetStart, i);
  const v = i + 1;
  if (v + 10 > end || buf[v + 8] !== CR || buf[v + 9] !== LF) return new HeadError(i - start > limits.maxLineBytes ? 414 : 400, 'malformed request line');
  if (v + 8 - start > limits.maxLineBytes) return new HeadError(414, 'request line too long');
  // "HTTP/1.1" or "HTTP/1.0", compared byte by byte.
  if (buf[v] === 72 && buf[v + 1] === 84 && buf[v + 2] === 84 && buf[v + 3] === 80 && buf[v + 4] === 47 && buf[v + 5] === 49 && buf[v + 6] === 46) {
    if (buf[v + 7] === 49) {
      head.lineStart = start;
      head.lineEnd = v + 8;
      return v + 10;
    }
    if (buf[v + 7] === 48) {
      head.http10 = true;
      return v + 10;
    }
  }
  const version = buf.toString('latin1', v, v + 8);
  return new HeadError(/^HTTP\/\d\.\d$/.test(version) ? 505 : 400, `unsupported version ${JSON.stringify(version)}`);
}

function methodName(buf: Buffer, start: number, end: number): string {
  // The common methods are interned: no allocation per request.
  if (end - start === 3 && buf[start] === 71 && buf[start + 1] === 69 && buf[start + 2] === 84) return 'GET';
  if (end - start === 4 && buf[start] === 80 && buf[start + 1] === 79 && buf[start + 2] === 83 && buf[start + 3] === 84) return 'POST';
  return buf.toString('latin1', start, end);
}

interface HeaderState {
  host: number;
  cl: number;
  te: number;
  connection: string | null;
  upgrade: string | null;
  expect: string | null;
  teValue: string;
  clValue: string;
}

function parseHeaderLines(buf: Buffer, from: number, end: number, limits: HeadLimits, head: RequestHead, state: HeaderState): HeadError | null {
  let i = from;
  let count = 0;
  while (i < end - 2) {
    const lineStart = i;
    const first = buf[i] as number;
    if (first === SP || first === HTAB) return new HeadError(400, 'obs-fold (a header line starts with whitespace)');
    while (TCHAR[buf[i] as number] === 1) i++;
    if (i === lineStart || buf[i] !== COLON) return new HeadError(400, 'malformed header name');
    const nameEnd = i++;
    while (buf[i] === SP || buf[i] === HTAB) i++;
    const valueStart = i;
    while (FIELD_CHAR[buf[i] as number] === 1) i++;
    if (buf[i] !== CR || buf[i + 1] !== LF) return new HeadError(400, 'invalid byte in a header value');
    let valueEnd = i;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;
    if (i - lineStart > limits.maxLineBytes) return new HeadError(431, 'header line too long');
    if (++count > limits.maxHeaders) return new HeadError(431, 'too many header lines');
    const fate = classify(buf, lineStart, nameEnd, valueStart, valueEnd, head, state);
    if (fate instanceof HeadError) return fate;
    head.lines.push(lineStart, i, fate);
    i += 2;
  }
  return null;
}

/** Decides a header's fate by its name, compared without allocating; records what routing needs. */
function classify(buf: Buffer, s: number, nameEnd: number, vs: number, ve: number, head: RequestHead, state: HeaderState): Fate | HeadError {
  const n = nameEnd - s;
  switch (n) {
    case 4:
      if (equalsLower(buf, s, n, 'host')) {
        if (++state.host > 1) return new HeadError(400, 'more than one Host header');
        for (let i = vs; i < ve; i++) if (HOST_CHAR[buf[i] as number] !== 1) return new HeadError(400, 'invalid Host header');
        head.host = buf.toString('latin1', vs, ve);
      }
      return Fate.Keep;
    case 14:
      if (equalsLower(buf, s, n, 'content-length')) {
        state.cl++;
        state.clValue = buf.toString('latin1', vs, ve);
        return Fate.Drop;
      }
      return Fate.Keep;
    case 17:
      if (equalsLower(buf, s, n, 'transfer-encoding')) {
        state.te++;
        state.teValue = buf.toString('latin1', vs, ve);
        return Fate.Drop;
      }
      if (equalsLower(buf, s, n, 'x-forwarded-proto')) return forwarding(head, 'xForwardedProto', buf.toString('latin1', vs, ve));
      return Fate.Keep;
    case 10:
      if (equalsLower(buf, s, n, 'connection')) {
        state.connection = state.connection === null ? buf.toString('latin1', vs, ve) : `${state.connection},${buf.toString('latin1', vs, ve)}`;
        return Fate.Drop;
      }
      if (equalsLower(buf, s, n, 'keep-alive')) return Fate.Drop;
      return Fate.Keep;
    default:
      return classifyRare(buf, s, n, vs, ve, head, state);
  }
}

function classifyRare(buf: Buffer, s: number, n: number, vs: number, ve: number, head: RequestHead, state: HeaderState): Fate {
  if (n === 7 && equalsLower(buf, s, n, 'upgrade')) {
    state.upgrade = buf.toString('latin1', vs, ve);
    return Fate.Drop;
  }
  if (n === 6 && equalsLower(buf, s, n, 'accept')) {
    const accept = buf.toString('latin1', vs, ve);
    head.wantsJson = accept.includes('application/json') && !accept.includes('text/html');
    return Fate.Keep;
  }
  if (n === 6 && equalsLower(buf, s, n, 'expect')) {
    state.expect = buf.toString('latin1', vs, ve);
    return Fate.Drop;
  }
  if (n === 12 && equalsLower(buf, s, n, 'x-request-id')) {
    const id = buf.toString('latin1', vs, ve);
    if (REQUEST_ID.test(id)) head.requestId = id;
    return Fate.Drop;
  }
  if (n === 2 && equalsLower(buf, s, n, 'te')) return Fate.Drop;
  if (n === 7 && equalsLower(buf, s, n, 'trailer')) return Fate.Drop;
  if (n === 16 && equalsLower(buf, s, n, 'proxy-connection')) return Fate.Drop;
  if (n === 19 && equalsLower(buf, s, n, 'proxy-authorization')) return Fate.Drop;
  if (n === 15 && equalsLower(buf, s, n, 'x-forwarded-for')) return forwarding(head, 'xForwardedFor', buf.toString('latin1', vs, ve), true);
  if (n === 16 && equalsLower(buf, s, n, 'x-forwarded-port')) return forwarding(head, 'xForwardedPort', buf.toString('latin1', vs, ve));
  if (n === 16 && equalsLower(buf, s, n, 'x-forwarded-host')) return forwarding(head, 'xForwardedHost', buf.toString('latin1', vs, ve));
  if (n > 12 && equalsLower(buf, s, 12, 'x-forwarded-')) return Fate.Forwarding;
  if ((n === 9 && equalsLower(buf, s, n, 'forwarded')) || (n === 9 && equalsLower(buf, s, n, 'x-real-ip'))) return Fate.Forwarding;
  return Fate.Keep;
}

type ForwardingField = 'xForwardedFor' | 'xForwardedProto' | 'xForwardedPort' | 'xForwardedHost';

/** Remembers an incoming X-Forwarded-* value (used only for trusted peers); the line is rewritten. */
function forwarding(head: RequestHead, field: ForwardingField, value: string, list = false): Fate {
  const previous = head[field];
  head[field] = previous === null ? value : list ? `${previous}, ${value}` : previous;
  return Fate.Drop;
}

function finish(head: RequestHead, state: HeaderState): RequestHead | HeadError {
  if (state.host === 0 && !head.http10) return new HeadError(400, 'no Host header');
  const framing = framingOf(head, state);
  if (framing) return framing;
  const target = checkTarget(head);
  if (target) return target;
  if (state.expect !== null) {
    if (state.expect.toLowerCase() !== '100-continue') return new HeadError(417, `unsupported Expect ${JSON.stringify(state.expect)}`);
    head.expectContinue = !head.http10;
  }
  head.keepAlive = !head.http10;
  if (state.connection === null) return head;
  const options = lowerTokens(state.connection);
  if (options.includes('close')) head.keepAlive = false;
  const protocols = state.upgrade === null ? [] : lowerTokens(state.upgrade);
  // h2c is refused: the request goes on as plain HTTP/1.1 without the Upgrade (h2c smuggling).
  const tunnel = options.includes('upgrade') && protocols.length > 0 && head.body === 'none' && !head.http10;
  if (tunnel && !protocols.some((p) => p.startsWith('h2') || p.startsWith('http/2'))) head.upgrade = (state.upgrade as string).trim();
  const listed = options.filter((o) => o !== 'close' && o !== 'keep-alive' && o !== 'upgrade' && !PROTECTED.has(o));
  if (listed.length > 0) head.connectionNames = listed;
  return head;
}

function framingOf(head: RequestHead, state: HeaderState): HeadError | null {
  if (state.te > 0) {
    if (state.te > 1) return new HeadError(400, 'more than one Transfer-Encoding header');
    if (state.cl > 0) return new HeadError(400, 'both Content-Length and Transfer-Encoding');
    if (head.http10) return new HeadError(400, 'Transfer-Encoding in an HTTP/1.0 request');
    if (state.teValue.toLowerCase() !== 'chunked') return new HeadError(501, `unsupported Transfer-Encoding ${JSON.stringify(state.teValue)}`);
    head.body = 'chunked';
    return null;
  }
  if (state.cl > 0) {
    if (state.cl > 1) return new HeadError(400, 'more than one Content-Length header');
    if (!/^\d{1,15}$/.test(state.clValue)) return new HeadError(400, `invalid Content-Length ${JSON.stringify(state.clValue)}`);
    head.contentLength = Number(state.clValue);
    head.body = head.contentLength > 0 ? 'length' : 'none';
  }
  return null;
}

/** origin-form, `*` for OPTIONS, or absolute-form naming the same host as the Host header. */
function checkTarget(head: RequestHead): HeadError | null {
  const target = head.target;
  if (target.charCodeAt(0) === 47) return null;
  if (target === '*' && head.method === 'OPTIONS') return null;
  if (head.method === 'CONNECT') return new HeadError(501, 'CONNECT is not supported');
  const absolute = /^https?:\/\/([^/?#]+)(.*)$/i.exec(target);
  if (!absolute) return new HeadError(400, 'malformed request-target');
  const authority = absolute[1] as string;
  if (head.host !== null && head.host.toLowerCase() !== authority.toLowerCase()) return new HeadError(400, 'the request-target names another host than Host');
  head.host = authority;
  head.lineStart = -1;
  const path = absolute[2] as string;
  head.target = path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
  return null;
}
