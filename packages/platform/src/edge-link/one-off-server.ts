import type { WebSocket } from 'ws';
import type { OneOff, OneOffRequest, Runtime, RunTarget } from '../core/ports/runtime.js';
import { toWireError } from './protocol.js';

/** What a one-off's first message carries: the request without its callbacks. */
export interface OneOffStart {
  target: RunTarget;
  request: Omit<OneOffRequest, 'onStdout' | 'onStderr'>;
}

/** A control message on a one-off's socket, control plane to edge. */
export type OneOffControl =
  | { type: 'end' }
  | { type: 'kill'; signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'pause' }
  | { type: 'resume' };

export const STDOUT = 1;
export const STDERR = 2;

/**
 * The edge's side of one one-off process: the first text message starts it; binary messages are
 * its stdin, its output comes back as binary messages whose first byte is the channel; the exit
 * is the last text message. A socket that closes first (the control plane went away) kills it.
 */
export function serveOneOff(ws: WebSocket, runtime: Runtime): void {
  let run: OneOff | null = null;
  let exited = false;
  const output = (channel: number) => (chunk: Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.of(channel), chunk]));
  };
  ws.on('message', (data: Buffer, binary) => {
    if (binary) return run?.writeStdin(data);
    const message = JSON.parse(data.toString()) as OneOffStart | OneOffControl;
    if (run === null && 'target' in message) {
      try {
        run = runtime.runOneOff(message.target, { ...message.request, onStdout: output(STDOUT), onStderr: output(STDERR) });
      } catch (error) {
        ws.close(1011, JSON.stringify(toWireError(error)).slice(0, 120));
        return;
      }
      void run.exit.then((status) => {
        exited = true;
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'exit', ...status }), () => ws.close());
      });
      return;
    }
    if (run !== null && 'type' in message) control(run, message);
  });
  ws.on('close', () => {
    if (run !== null && !exited) run.kill('SIGKILL');
  });
}

function control(run: OneOff, message: OneOffControl): void {
  if (message.type === 'end') run.endStdin();
  else if (message.type === 'kill') run.kill(message.signal);
  else if (message.type === 'resize') run.resize(message.columns, message.rows);
  else if (message.type === 'pause') run.pauseOutput();
  else run.resumeOutput();
}
