import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { decodeRunData, encodeRunData, RunChannel, streamRoutes, type RunClientMessage, type RunServerMessage } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../../core/deps.js';
import type { OneOff } from '../../core/ports.js';
import { toFailure } from '../../core/use-cases/builds.js';
import { startRun } from '../../core/use-cases/runs.js';

/** One-off processes over a WebSocket: see run-protocol in the contracts. */
export function runRoutes(app: FastifyInstance, deps: CoreDeps): void {
  app.get<{ Params: { app: string } }>(streamRoutes.run.url, { websocket: true }, (socket: WebSocket, request) => {
    let run: OneOff | undefined;
    // stdin that arrives while the process is being started (the client sends it right after
    // `start`) is kept and handed over once it runs, so that nothing is lost, not even the end.
    const early: Uint8Array[] = [];
    let earlyEnd = false;
    const send = (message: RunServerMessage) => socket.send(JSON.stringify(message));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const { channel, data: bytes } = decodeRunData(new Uint8Array(data as Buffer));
        if (channel !== RunChannel.stdin) return;
        if (run) run.writeStdin(bytes);
        else early.push(bytes);
        return;
      }
      let message: RunClientMessage;
      try {
        message = JSON.parse(String(data)) as RunClientMessage;
      } catch {
        return fail(new DozenError('INVALID_REQUEST', 'A run control message was not JSON.'));
      }
      if (message.type === 'start' && !run) void start(message.command);
      else if (message.type === 'stdin-end') {
        if (run) run.endStdin();
        else earlyEnd = true;
      }
      else if (message.type === 'signal') run?.kill(message.signal);
    });
    socket.on('close', () => run?.kill('SIGKILL'));

    const fail = (error: unknown) => {
      send({ type: 'error', error: toFailure(error) });
      socket.close(1000);
    };
    const start = async (command: unknown) => {
      try {
        const argv = Array.isArray(command) && command.every((c) => typeof c === 'string') ? (command as string[]) : [];
        const started = await startRun(deps, request.params.app, {
          command: argv,
          onStdout: (chunk) => socket.send(encodeRunData(RunChannel.stdout, chunk)),
          onStderr: (chunk) => socket.send(encodeRunData(RunChannel.stderr, chunk)),
        });
        run = started.run;
        for (const chunk of early.splice(0)) run.writeStdin(chunk);
        if (earlyEnd) run.endStdin();
        send({ type: 'started', process: run.name, release: started.release });
        const exit = await run.exit;
        send({ type: 'exit', code: exit.code, signal: exit.signal });
        socket.close(1000);
      } catch (error) {
        fail(error);
      }
    };
  });
}
