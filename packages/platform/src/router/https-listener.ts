import { createServer, type Server, type Socket } from 'node:net';
import { Server as TlsServer, type TLSSocket } from 'node:tls';
import { plainHttpOnTlsPort } from './error-page.js';
import { LINGER_MS, type RouterContext } from './router-context.js';
import { TLS_CIPHERS } from './tls-table.js';

/** The first byte of every TLS record that opens a handshake. */
const TLS_HANDSHAKE = 0x16;

/**
 * The router's HTTPS listener: a TCP server that looks at the first byte of each connection (plain
 * HTTP gets nginx's 400 in plain text), then hands the socket to node:tls, which picks the
 * certificate by SNI from the TlsTable. Each TLS socket then goes through the same client
 * connection code as the HTTP listener's sockets (`accept`).
 */
export function createHttpsListener(ctx: RouterContext, accept: (socket: Socket, ctx: RouterContext) => void): Server {
  const tls = new TlsServer({
    SNICallback: (servername, done) => done(null, ctx.tls.context(servername)),
    ALPNProtocols: ['http/1.1'],
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    handshakeTimeout: ctx.limits.headTimeoutMs,
    allowHalfOpen: true,
  });
  // A failed handshake (unknown name: alert 40, a bad ClientHello, a timeout) closes that socket only.
  tls.on('tlsClientError', (_error, socket: TLSSocket) => {
    ctx.metrics.tlsFailed++;
    socket.destroy();
  });
  tls.on('secureConnection', (socket: TLSSocket) => {
    socket.setNoDelay(true);
    accept(socket, ctx);
  });
  const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    const timer = setTimeout(() => socket.destroy(), ctx.limits.headTimeoutMs);
    socket.once('data', (first: Buffer) => {
      clearTimeout(timer);
      socket.pause();
      if (first[0] !== TLS_HANDSHAKE) return refusePlain(socket, ctx);
      socket.unshift(first);
      tls.emit('connection', socket);
    });
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
  });
  server.on('close', () => tls.close());
  return server;
}

function refusePlain(socket: Socket, ctx: RouterContext): void {
  ctx.metrics.refused++;
  socket.end(plainHttpOnTlsPort());
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
