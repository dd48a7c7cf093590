import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { decodeRunData, encodeRunData, RunChannel, streamRoutes, type AddonClientRequest, type RunClientMessage, type RunServerMessage } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../../core/deps.js';
import type { OneOff } from '../../core/ports.js';
import { toFailure } from '../../core/use-cases/builds.js';
import { startAddonClient } from '../../core/use-cases/addon-clients.js';
import { startRun } from '../../core/use-cases/runs.js';

/** One-off processes over a WebSocket: see run-protocol in the contracts. */
export function runRoutes(app: FastifyInstance, deps: CoreDeps): void {
  app.get<{ Params: { app: string } }>(streamRoutes.run.url, { websocket: true }, (socket: WebSocket, request) => {
    let run: OneOff | undefined;
    let starting = false;
    // What arrives while the process is being started (stdin, its end, a signal, a hang-up) waits
    // for it, rather than being lost: `wc -c` would otherwise wait forever for an end it missed.
    const early: ((started: OneOff) => void)[] = [];
    const withRun = (action: (started: OneOff) => void) => (run ? action(run) : early.push(action));
    const send = (message: RunServerMessage) => socket.send(JSON.stringify(message));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const { channel, data: bytes } = decodeRunData(new Uint8Array(data as Buffer));
        if (channel === RunChannel.stdin) withRun((r) => r.writeStdin(bytes));
        return;
      }
      let message: RunClientMessage;
      try {
        message = JSON.parse(String(data)) as RunClientMessage;
      } catch {
        return fail(new DozenError('INVALID_REQUEST', 'A run control message was not JSON.'));
      }
      if (message.type === 'start' && !starting) {
        starting = true;
        void start(message.command, message.addonClient);
      } else if (message.type === 'stdin-end') withRun((r) => r.endStdin());
      else if (message.type === 'signal') withRun((r) => r.kill(message.signal));
    });
    socket.on('close', () => withRun((r) => r.kill('SIGKILL')));

    const fail = (error: unknown) => {
      send({ type: 'error', error: toFailure(error) });
      socket.close(1000);
    };
    const start = async (command: unknown, addonClient: AddonClientRequest | undefined) => {
      try {
        const argv = Array.isArray(command) && command.every((c) => typeof c === 'string') ? (command as string[]) : [];
        const io = {
          onStdout: (chunk: Uint8Array) => socket.send(encodeRunData(RunChannel.stdout, chunk)),
          onStderr: (chunk: Uint8Array) => socket.send(encodeRunData(RunChannel.stderr, chunk)),
        };
        // An add-on client (pg:psql, redis:cli): `command` holds its arguments.
        const started = addonClient
          ? await startAddonClient(deps, request.params.app, { ...io, addon: addonClient.addon, client: addonClient.client, args: argv })
          : await startRun(deps, request.params.app, { command: argv, ...io });
        run = started.run;
        send({ type: 'started', process: run.name, release: started.release });
        for (const action of early.splice(0)) action(run);
        const exit = await run.exit;
        send({ type: 'exit', code: exit.code, signal: exit.signal });
        socket.close(1000);
      } catch (error) {
        fail(error);
      }
    };
  });
}
