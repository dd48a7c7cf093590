import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { decodeRunData, encodeRunData, RunChannel, routes, streamRoutes, type RunClientMessage, type RunServerMessage } from '@dozen/contracts';
import { DozenError, errorCatalogue, type ErrorCode } from '@dozen/contracts/errors';
import type { CoreDeps } from '../../core/deps.js';
import type { OneOff, OneOffRequest } from '../../core/ports/runtime.js';
import { startAddonClient } from '../../core/use-cases/addon-clients.js';
import { toFailure } from '../../core/use-cases/builds.js';
import { startDetachedRun, startRun } from '../../core/use-cases/runs.js';
import { acting } from '../acting.js';
import { recordRequest } from '../audit/audit-hook.js';
import { jsonRoute } from '../json-route.js';

type StartMessage = Extract<RunClientMessage, { type: 'start' }>;

/**
 * Output waiting to reach a slow client: above HIGH_WATER bytes the process is paused (it blocks
 * on its output, as on a slow terminal: nothing is lost and the platform's memory stays bounded);
 * once the client has taken all but LOW_WATER of it, the process goes on.
 */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/** One-off processes: attached over a WebSocket (see run-protocol in the contracts), or detached. */
export function runRoutes(app: FastifyInstance, deps: CoreDeps, pingMs = 20_000): void {
  jsonRoute(app, routes.createRun, async ({ params, body, request }) => {
    const started = await startDetachedRun(acting(deps, request), params.app, body.command, body.timeoutSeconds === undefined ? undefined : body.timeoutSeconds * 1000, body.size);
    return { process: started.name, release: started.release };
  });

  app.get<{ Params: { app: string } }>(streamRoutes.run.url, { websocket: true }, (socket: WebSocket, request) => {
    let run: OneOff | undefined;
    // What the client sends while the run is still starting (stdin, its end, a signal, a
    // hang-up) waits for it rather than being lost: `wc -c` would otherwise wait for an end it missed.
    const waiting: ((started: OneOff) => void)[] = [];
    const toRun = (action: (started: OneOff) => void) => (run ? action(run) : waiting.push(action));
    const send = (message: RunServerMessage) => socket.send(JSON.stringify(message));
    let paused = false;
    const flushed = () => {
      if (paused && socket.bufferedAmount <= LOW_WATER) {
        paused = false;
        toRun((r) => r.resumeOutput());
      }
    };
    const output = (channel: number, chunk: Uint8Array) => {
      socket.send(encodeRunData(channel, chunk), flushed);
      if (!paused && socket.bufferedAmount > HIGH_WATER) {
        paused = true;
        toRun((r) => r.pauseOutput());
      }
    };
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const { channel, data: bytes } = decodeRunData(new Uint8Array(data as Buffer));
        if (channel === RunChannel.stdin) toRun((r) => r.writeStdin(bytes));
        return;
      }
      let message: RunClientMessage;
      try {
        message = JSON.parse(String(data)) as RunClientMessage;
      } catch {
        return fail(new DozenError('INVALID_REQUEST', 'A run control message was not JSON.'));
      }
      if (message.type === 'start' && !started) void start(message);
      else if (message.type === 'stdin-end') toRun((r) => r.endStdin());
      else if (message.type === 'signal') toRun((r) => r.kill(message.signal));
      else if (message.type === 'resize') toRun((r) => r.resize(Number(message.columns), Number(message.rows)));
    });
    // A ping now and then keeps a quiet session (a shell waiting for a key) alive through the
    // router's idle timeout (DOZEN_API_DOMAIN); ws answers pongs by itself.
    const ping = setInterval(() => socket.ping(), pingMs);
    // A client that goes away hangs up: nothing is left running for no one.
    socket.on('close', () => {
      clearInterval(ping);
      toRun((r) => r.kill('SIGKILL'));
    });

    const fail = (error: unknown) => {
      send({ type: 'error', error: toFailure(error) });
      socket.close(1000);
    };
    let started = false;
    const start = async (message: StartMessage) => {
      started = true;
      try {
        const oneOff = toRequest(message, output);
        // An add-on client (pg:psql, redis:cli): `command` holds the client's arguments.
        const begun = message.addonClient
          ? await startAddonClient(acting(deps, request), request.params.app, { ...oneOff, addon: message.addonClient.addon, client: message.addonClient.client, args: oneOff.command })
          : await startRun(acting(deps, request), request.params.app, oneOff);
        run = begun.run;
        audit(message, { status: 101, code: null });
        for (const action of waiting.splice(0)) action(run);
        send({ type: 'started', process: run.name, release: begun.release });
        const exit = await run.exit;
        send({ type: 'exit', code: exit.code, signal: exit.signal });
        socket.close(1000);
      } catch (error) {
        if (!run) {
          const { code } = toFailure(error);
          audit(message, { status: errorCatalogue[code as ErrorCode]?.status ?? 500, code });
        }
        fail(error);
      }
    };
    // The audit hook sees no answer to a WebSocket: the run records itself once it started, or failed to.
    const audit = (message: StartMessage, result: { status: number; code: string | null }) => {
      const body = { command: message.command, addonClient: message.addonClient, size: message.size, tty: message.tty === true };
      recordRequest(deps, request, 'run', result, body).catch((error: unknown) => request.log.error({ err: error }, 'could not record the audit event'));
    };
  });
}

/** The wire's start message as a run request; the core checks the values. */
function toRequest(message: StartMessage, output: (channel: number, chunk: Uint8Array) => void): OneOffRequest {
  const command = Array.isArray(message.command) && message.command.every((c) => typeof c === 'string') ? message.command : [];
  const request: OneOffRequest = {
    command,
    onStdout: (chunk) => output(RunChannel.stdout, chunk),
    onStderr: (chunk) => output(RunChannel.stderr, chunk),
  };
  if (message.timeoutSeconds !== undefined) request.timeoutMs = Number(message.timeoutSeconds) * 1000;
  if (typeof message.size === 'string') request.size = message.size;
  if (message.tty === true) request.tty = { columns: Number(message.columns ?? 80), rows: Number(message.rows ?? 24), term: typeof message.term === 'string' ? message.term : 'xterm' };
  return request;
}
