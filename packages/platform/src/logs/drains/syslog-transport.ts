import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { isIP } from 'node:net';
import type { DrainTarget } from '../../core/drain-url.js';
import { resolveAllowed, type AddressPolicy } from './address-policy.js';
import type { Batch, SendResult, Transport } from './drain-worker.js';
import { octetFrame } from './syslog-frame.js';

const CONNECT_TIMEOUT_MS = 5000;
/** An endpoint that reads nothing for this long is disconnected (the batch is sent again). */
const STALL_TIMEOUT_MS = 30_000;

/** syslog:// and syslog+tls://: one TCP (or TLS) connection, RFC 6587 octet-counted frames. */
export class SyslogTransport implements Transport {
  // Large writes: under a flood the drain gets few turns of the event loop, each must count.
  readonly batchSize = 5000;
  readonly batchChars = 1024 * 1024;
  private socket: Socket | null = null;
  private closed = false;

  constructor(
    private readonly target: DrainTarget,
    private readonly policy: AddressPolicy,
  ) {}

  async send(batch: Batch): Promise<SendResult> {
    try {
      const socket = this.socket ?? (this.socket = await this.connect());
      await write(socket, Buffer.concat(batch.messages.map(octetFrame)));
      return { kind: 'delivered' };
    } catch (error) {
      this.socket?.destroy();
      this.socket = null;
      return { kind: 'retry', error: (error as Error).message };
    }
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.socket = null;
  }

  private async connect(): Promise<Socket> {
    if (this.closed) throw new Error('drain stopped');
    const { host, port, kind } = this.target;
    // The address is checked again at every connect: the name may point elsewhere by now.
    const address = await resolveAllowed(host, port, this.policy);
    const socket =
      kind === 'syslog+tls'
        ? connectTls({ host: address, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...(this.policy.ca ? { ca: this.policy.ca } : {}), timeout: CONNECT_TIMEOUT_MS })
        : connectTcp({ host: address, port, timeout: CONNECT_TIMEOUT_MS });
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.once(kind === 'syslog+tls' ? 'secureConnect' : 'connect', () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        resolve();
      });
      socket.once('error', fail);
      socket.once('timeout', () => fail(new Error(`connect to ${host}:${port} timed out after ${CONNECT_TIMEOUT_MS / 1000} s`)));
    });
    // Syslog receivers send nothing back; anything they do send is ignored.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
    });
    return socket;
  }
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the endpoint read nothing for ${STALL_TIMEOUT_MS / 1000} s`)), STALL_TIMEOUT_MS);
    const onClose = () => finish(new Error('the endpoint closed the connection'));
    const finish = (error?: Error | null) => {
      clearTimeout(timer);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    socket.once('close', onClose);
    socket.write(data, (error) => finish(error));
  });
}
