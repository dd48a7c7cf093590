import WebSocket from 'ws';
import type { OneOff, OneOffRequest, RunTarget } from '../core/ports/runtime.js';
import type { OneOffControl, OneOffStart } from './one-off-server.js';
import { STDERR, STDOUT } from './one-off-server.js';
import { linkHeaders, linkUrl, ONE_OFF_PATH, type EdgeAddress } from './protocol.js';

type Exit = { code: number | null; signal: string | null };

/**
 * A one-off process that runs in the edge (in the app's sandbox and network), driven over a
 * WebSocket of its own: what is written before it opens waits for it, and a socket that ends
 * without an exit message reports SIGKILL (the edge killed it, or the edge is gone).
 */
export class RemoteOneOff implements OneOff {
  readonly exit: Promise<Exit>;
  private readonly ws: WebSocket;
  private readonly pending: (string | Buffer)[] = [];

  constructor(
    address: EdgeAddress,
    readonly name: string,
    target: RunTarget,
    request: OneOffRequest,
  ) {
    this.ws = new WebSocket(linkUrl(address, ONE_OFF_PATH), { maxPayload: 64 * 1024 * 1024, headers: linkHeaders(address) });
    const { onStdout, onStderr, ...rest } = request;
    const start: OneOffStart = { target, request: { ...rest, name } };
    this.pending.push(JSON.stringify(start));
    this.ws.on('open', () => {
      for (const message of this.pending.splice(0)) this.ws.send(message);
    });
    let exit: Exit = { code: null, signal: 'SIGKILL' };
    this.exit = new Promise((resolve) => {
      this.ws.on('message', (data: Buffer, binary) => {
        if (!binary) exit = JSON.parse(data.toString()) as Exit;
        else if (data[0] === STDOUT) onStdout(data.subarray(1));
        else if (data[0] === STDERR) onStderr(data.subarray(1));
      });
      this.ws.on('close', () => resolve({ code: exit.code, signal: exit.signal }));
      this.ws.on('error', () => undefined);
    });
  }

  writeStdin(chunk: Uint8Array): void {
    this.post(Buffer.from(chunk));
  }

  endStdin(): void {
    this.control({ type: 'end' });
  }

  kill(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void {
    this.control({ type: 'kill', signal });
  }

  resize(columns: number, rows: number): void {
    this.control({ type: 'resize', columns, rows });
  }

  /** The edge is asked to pause the process, and this socket stops being read meanwhile (what is in flight waits in the kernel). */
  pauseOutput(): void {
    this.control({ type: 'pause' });
    this.ws.pause();
  }

  resumeOutput(): void {
    this.ws.resume();
    this.control({ type: 'resume' });
  }

  private control(message: OneOffControl): void {
    this.post(JSON.stringify(message));
  }

  private post(message: string | Buffer): void {
    if (this.ws.readyState === WebSocket.CONNECTING) this.pending.push(message);
    else if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
  }
}
