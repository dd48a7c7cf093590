import { connect } from 'node:net';

/** True once something accepts TCP connections on host:port. */
export function accepts(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls until the port accepts or `signal` aborts. Starts fast (10 ms) so that quick apps join
 * the router quickly, then backs off to 200 ms.
 */
export async function waitUntilAccepting(port: number, signal: AbortSignal, host = '127.0.0.1'): Promise<boolean> {
  let delay = 10;
  while (!signal.aborted) {
    if (await accepts(port, host)) return true;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(200, delay * 2);
  }
  return false;
}
