import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

/** A self-signed certificate for `names` (DNS names or IPs), made with openssl. */
export function makeCertificate(names: string[]): { cert: string; key: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-cert-'));
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8'), certFile: join(dir, 'cert.pem') };
}

/** A syslog receiver over TCP (or TLS): parses RFC 6587 octet-counted frames, can stop reading. */
export class SyslogSink {
  readonly messages: string[] = [];
  readonly sockets = new Set<Socket>();
  connections = 0;
  private paused = false;
  private constructor(readonly server: Server) {}

  /** Listens on 127.0.0.1:`port` (0: any free port; a given one to come back after a close). */
  static async start(tls?: { cert: string; key: string }, port = 0): Promise<SyslogSink> {
    const handler: { accept?: (socket: Socket) => void } = {};
    const onSocket = (socket: Socket) => handler.accept?.(socket);
    const server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, onSocket) : createTcpServer(onSocket);
    const sink = new SyslogSink(server);
    handler.accept = (socket) => sink.accept(socket);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return sink;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops reading (the sender's buffers fill up) or reads again. */
  pause(paused: boolean): void {
    this.paused = paused;
    for (const socket of this.sockets) if (paused) socket.pause();
    else socket.resume();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.paused) socket.pause();
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) break;
        const length = Number(buffer.subarray(0, space).toString());
        if (!Number.isInteger(length) || length <= 0) throw new Error(`bad frame header: ${buffer.subarray(0, 20).toString()}`);
        if (buffer.length < space + 1 + length) break;
        this.messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
  }
}

export interface ReceivedPost {
  headers: Record<string, string | string[] | undefined>;
  messages: string[];
}

/** An HTTPS drain endpoint whose answer to each POST is decided by `respond` (a status, or 'hang'). */
export class HttpsSink {
  readonly posts: ReceivedPost[] = [];
  respond: (post: ReceivedPost, index: number) => number | 'hang' = () => 200;
  private constructor(readonly server: HttpsServer) {}

  static async start(tls: { cert: string; key: string }): Promise<HttpsSink> {
    const holder: { sink?: HttpsSink } = {};
    const server = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const post = { headers: req.headers, messages: parseFrames(Buffer.concat(chunks)) };
        const sink = holder.sink as HttpsSink;
        sink.posts.push(post);
        const answer = sink.respond(post, sink.posts.length - 1);
        if (answer !== 'hang') res.writeHead(answer).end();
      });
    });
    const sink = new HttpsSink(server);
    holder.sink = sink;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export function parseFrames(body: Buffer): string[] {
  const messages: string[] = [];
  let rest = body;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = Number(rest.subarray(0, space).toString());
    messages.push(rest.subarray(space + 1, space + 1 + length).toString('utf8'));
    rest = rest.subarray(space + 1 + length);
  }
  return messages;
}

export async function until(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
