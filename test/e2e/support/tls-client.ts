import { connect as netConnect } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { request, type Agent, type RequestOptions } from 'node:https';
import type { HttpResult } from './platform.js';

export interface HttpsResult extends HttpResult {
  /** SHA-256 fingerprint of the certificate the server presented. */
  fingerprint: string;
  alpn: string | false | null;
  tlsVersion: string | null;
}

/** GET https://HOST:PORT/PATH on loopback, with SNI `host` and only `ca` trusted. */
export function httpsGet(port: number, host: string, path: string, ca: string, options: { agent?: Agent; headers?: Record<string, string>; method?: string; address?: string; body?: string; localAddress?: string } = {}): Promise<HttpsResult> {
  return new Promise((done, fail) => {
    const req = request(
      { host: options.address ?? '127.0.0.1', localAddress: options.localAddress, port, path, method: options.method ?? 'GET', servername: host, headers: { host, ...options.headers }, ca, agent: options.agent ?? false, ALPNProtocols: ['http/1.1'] } as RequestOptions,
      (res) => {
        const socket = res.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers, fingerprint: peer.fingerprint256, alpn: socket.alpnProtocol, tlsVersion: socket.getProtocol() }));
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

/** A bare TLS handshake: resolves with the error code it failed with, or 'ok'. */
export function handshake(port: number, servername: string, ca: string, options: { maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' } = {}): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, ...options });
    socket.once('secureConnect', () => {
      socket.destroy();
      done('ok');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Raw bytes to a port, and everything that comes back until the server closes. */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => done(text));
    socket.on('error', fail);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no close within 5 s; got ${JSON.stringify(text)}`)));
  });
}
