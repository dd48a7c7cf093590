/**
 * The one-off run protocol over a WebSocket (`GET /apps/:app/run`).
 *
 * Control messages are JSON text frames; data is carried in binary frames whose first byte names
 * the channel, so that output is never re-encoded.
 */
export const RunChannel = { stdin: 0, stdout: 1, stderr: 2 } as const;

export type RunClientMessage =
  /** `tty`: run on a terminal of columns x rows (TERM names its type); `timeoutSeconds`: killed after it. */
  | { type: 'start'; command: string[]; tty?: boolean; columns?: number; rows?: number; term?: string; timeoutSeconds?: number }
  | { type: 'stdin-end' }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' };

export type RunServerMessage =
  | { type: 'started'; process: string; release: number }
  | { type: 'exit'; code: number | null; signal: string | null }
  | { type: 'error'; error: { code: string; message: string; hint: string } };

export function encodeRunData(channel: number, data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(data.length + 1);
  frame[0] = channel;
  frame.set(data, 1);
  return frame;
}

export function decodeRunData(frame: Uint8Array): { channel: number; data: Uint8Array } {
  return { channel: frame[0] ?? -1, data: frame.subarray(1) };
}
