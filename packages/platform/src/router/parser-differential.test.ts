import type { Socket } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../test-support/router-harness.js';
import { ChunkedFramer } from './chunked-framer.js';
import { HeadError, parseRequestHead } from './request-head.js';

interface Parsed {
  method: string;
  url: string;
  body: string;
  /** Where the router says the request ends. */
  end: number;
}

const limits = { maxLineBytes: 8192, maxHeadBytes: 65536, maxHeaders: 100 };

/** What the router's parser makes of the first request in `bytes`, or null when it refuses it. */
function ours(bytes: Buffer): Parsed | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = parseRequestHead(bytes, 0, end + 4, limits);
  if (head instanceof HeadError) return null;
  const from = end + 4;
  if (head.body === 'none') return { method: head.method, url: head.target, body: '', end: from };
  if (head.body === 'length') {
    if (bytes.length - from < head.contentLength) return null;
    return { method: head.method, url: head.target, body: bytes.toString('latin1', from, from + head.contentLength), end: from + head.contentLength };
  }
  const framer = new ChunkedFramer(true);
  const at = framer.feed(bytes, from, bytes.length);
  if (at < 0 || !framer.done) return null;
  let body = '';
  const ranges = framer.data ?? [];
  for (let i = 0; i < ranges.length; i += 2) body += bytes.toString('latin1', ranges[i], ranges[i + 1]);
  return { method: head.method, url: head.target, body, end: at };
}

/** A deterministic generator, so that a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const BASES = [
  'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n',
  'POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n',
  'GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n',
];
const INSERTS = [' ', '\t', '\r', '\n', '\x00', '\x0b', '\x0c', ',', ':', ';', '\r\n', ' \r\n', '\r\n ', '\r\n\t', '0', 'a', '\x80', '\xff', 'Content-Length: 3\r\n', 'Transfer-Encoding: chunked\r\n', 'Transfer-Encoding: identity\r\n'];

function variants(count: number): Buffer[] {
  const next = random(20261124);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    let text = BASES[i % BASES.length] as string;
    const edits = 1 + Math.floor(next() * 2);
    for (let e = 0; e < edits; e++) {
      const headEnd = text.indexOf('\r\n\r\n') + 2;
      const at = Math.floor(next() * (headEnd + 12));
      text = text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    }
    out.push(Buffer.from(text, 'latin1'));
  }
  return out;
}

/**
 * The router must never read a request another parser reads differently. For a corpus of mutated
 * requests, whenever the router accepts the first request, llhttp (node:http, strict) given
 * exactly the bytes the router says make that request must read one complete request with the
 * same method, target and body, and nothing else. The router may refuse more, never less.
 */
describe('request parsing agrees with llhttp whenever the router accepts', () => {
  let server: Server;
  let port: number;
  const seen = new Map<string, { requests: Omit<Parsed, 'end'>[]; complete: boolean[]; error: string }>();
  const entry = (key: string) => {
    let e = seen.get(key);
    if (!e) {
      e = { requests: [], complete: [], error: '' };
      seen.set(key, e);
    }
    return e;
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const e = entry(String(req.socket.remotePort));
      const index = e.requests.push({ method: req.method ?? '', url: req.url ?? '', body: '' }) - 1;
      e.complete.push(false);
      req.setEncoding('latin1');
      req.on('data', (c: string) => ((e.requests[index] as Parsed).body += c));
      req.on('end', () => {
        e.complete[index] = true;
        res.end('ok');
      });
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      entry(String((socket as Socket).remotePort)).error = error.code ?? 'error';
      socket.destroy();
    });
    port = await listen(server);
  });
  afterAll(() => {
    server.close();
  });

  function llhttp(bytes: Buffer): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        const key = String(socket.localPort);
        socket.end(bytes);
        socket.on('close', () => setTimeout(() => resolve(JSON.stringify(seen.get(key) ?? null)), 5));
        socket.setTimeout(500, () => socket.destroy());
      });
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
    });
  }

  it('on 1500 mutations of requests with bodies, chunks and pipelined smuggling attempts', async () => {
    let accepted = 0;
    const disagreements: string[] = [];
    for (const bytes of variants(1500)) {
      const mine = ours(bytes);
      if (mine === null) continue;
      accepted++;
      const { end, ...request } = mine;
      const expected = JSON.stringify({ requests: [request], complete: [true], error: '' });
      const theirs = await llhttp(bytes.subarray(0, end));
      if (theirs !== expected) disagreements.push(`${JSON.stringify(bytes.toString('latin1', 0, end))}: router ${expected}, llhttp ${theirs}`);
    }
    expect(disagreements).toEqual([]);
    // The corpus is not all refusals: plenty of mutations are valid requests both must read alike.
    expect(accepted).toBeGreaterThan(150);
  });
});
