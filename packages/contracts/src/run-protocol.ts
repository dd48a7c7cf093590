/**
 * The one-off run protocol over a WebSocket (`GET /apps/:app/run`).
 *
 * Control messages are JSON text frames; data is carried in binary frames whose first byte names
 * the channel, so that output is never re-encoded.
 */
export const RunChannel = { stdin: 0, stdout: 1, stderr: 2 } as const;

export type RunClientMessage =
  /**
   * `tty`: run on a terminal of columns x rows (TERM names its type); `timeoutSeconds`: killed after
   * it; `addonClient`: run an add-on's client (psql, redis-cli) with `command` as its arguments.
   */
  | { type: 'start'; command: string[]; tty?: boolean; columns?: number; rows?: number; term?: string; timeoutSeconds?: number; size?: string; addonClient?: AddonClientRequest }
  | { type: 'stdin-end' }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' };

/**
 * Run an add-on's admin client (`pg:psql`, `redis:cli`) instead of an app command: `command` is
 * then the client's arguments, and the platform supplies the binary and the credentials.
 */
export interface AddonClientRequest {
  /** Add-on name or attachment name; default DATABASE_URL (psql) or REDIS_URL (redis-cli). */
  addon?: string;
  client: 'psql' | 'redis-cli';
}

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
