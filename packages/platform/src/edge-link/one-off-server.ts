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

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

export const STDOUT = 1;
export const STDERR = 2;

/**
 * The edge's side of one one-off process: the first text message starts it; binary messages are
 * its stdin, its output comes back as binary messages whose first byte is the channel; the exit
 * is the last text message. A socket that closes first (the control plane went away) kills it.
 * With `prepare` (a relay: the slug is fetched first), what arrives before the start waits for it.
 */
export function serveOneOff(ws: WebSocket, runtime: Runtime, prepare?: (target: RunTarget) => Promise<void>): void {
  let run: OneOff | null = null;
  let exited = false;
  let closed = false;
  // Paused while the control plane asks (its client is slow), or while the socket holds more than
  // HIGH_WATER unsent: a control plane that stops reading stops the process, not our memory.
  const paused = { asked: false, full: false };
  let unsent = 0;
  const apply = () => (paused.asked || paused.full ? run?.pauseOutput() : run?.resumeOutput());
  const output = (channel: number) => (chunk: Uint8Array) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = Buffer.concat([Buffer.of(channel), chunk]);
    unsent += frame.length;
    ws.send(frame, () => {
      unsent -= frame.length;
      if (paused.full && unsent <= LOW_WATER) {
        paused.full = false;
        apply();
      }
    });
    if (!paused.full && unsent > HIGH_WATER) {
      paused.full = true;
      apply();
    }
  };
  const start = (message: OneOffStart) => {
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
  };
  const receive = (data: Buffer, binary: boolean) => {
    if (binary) return run?.writeStdin(data);
    const message = JSON.parse(data.toString()) as OneOffStart | OneOffControl;
    if (run === null && 'target' in message) return start(message);
    if (run === null || !('type' in message)) return;
    if (message.type === 'pause' || message.type === 'resume') {
      paused.asked = message.type === 'pause';
      apply();
    } else control(run, message);
  };
  let waiting: [Buffer, boolean][] | null = null;
  ws.on('message', (data: Buffer, binary) => {
    if (waiting !== null) return void waiting.push([data, binary]);
    if (prepare === undefined || binary || run !== null) return receive(data, binary);
    const message = JSON.parse(data.toString()) as OneOffStart | OneOffControl;
    if (!('target' in message)) return;
    const backlog: [Buffer, boolean][] = (waiting = []);
    prepare(message.target).then(
      () => {
        waiting = null;
        if (closed) return;
        start(message);
        for (const [queued, isBinary] of backlog) receive(queued, isBinary);
      },
      (error: unknown) => ws.close(1011, JSON.stringify(toWireError(error)).slice(0, 120)),
    );
  });
  ws.on('close', () => {
    closed = true;
    if (run !== null && !exited) run.kill('SIGKILL');
  });
}

function control(run: OneOff, message: Exclude<OneOffControl, { type: 'pause' | 'resume' }>): void {
  if (message.type === 'end') run.endStdin();
  else if (message.type === 'kill') run.kill(message.signal);
  else run.resize(message.columns, message.rows);
}
