import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { HttpResult } from './platform.js';

/** git's pkt-line framing: 4 hex digits of length (including themselves), then the data. */
export function pkt(data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}

export const FLUSH = Buffer.from('0000');

/** A valid pack with no objects (enough when a push only points a ref at an existing commit). */
export function emptyPack(): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0);
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(0, 8);
  return Buffer.concat([head, createHash('sha1').update(head).digest()]);
}

/** A receive-pack request body as a git client would send it, for refs a real client refuses to send. */
export function receivePackBody(commands: string[]): Buffer {
  const [first, ...rest] = commands;
  return Buffer.concat([pkt(`${first}\0report-status\n`), ...rest.map((c) => pkt(`${c}\n`)), FLUSH, emptyPack()]);
}

export function basicAuth(token: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`dozen:${token}`).toString('base64')}` };
}

/** A raw request to the API: the path is sent exactly as given (no normalisation). */
export function rawRequest(apiUrl: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer }): Promise<HttpResult> {
  const url = new URL(apiUrl);
  return new Promise((done, fail) => {
    const req = request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1'), headers: res.headers }));
    });
    req.on('error', fail);
    req.end(options.body);
  });
}
