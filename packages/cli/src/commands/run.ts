import { decodeRunData, DozenError, encodeRunData, RunChannel, type RunClientMessage, type RunServerMessage } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';

export const registerRun: Registrar = (program, context) => {
  appCommand(program, 'run', 'run a one-off process from the current release: dozen run -a APP -- CMD ARGS...')
    .argument('<command...>', 'the command; one argument is run by the shell, several are passed as they are')
    .passThroughOptions()
    .action(async (command: string[], options: AppOptions) => {
      const app = requireAppName(options);
      const { url, headers } = context.client().runEndpoint(app);
      process.exitCode = await runRemote(url, headers, command, !context.stdinIsTty);
    });
};

async function runRemote(url: string, headers: Record<string, string>, command: string[], forwardStdin: boolean): Promise<number> {
  // Loaded here, not at start: every other command starts faster without it.
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let exitCode: number | null = null;
    const send = (message: RunClientMessage) => socket.send(JSON.stringify(message));
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => reject(toError(response.statusCode ?? 0, body)));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      reject(new DozenError('API_UNREACHABLE', `Cannot reach the Dozen API at ${url}: ${error.code ?? error.message}.`)),
    );
    socket.on('open', () => {
      send({ type: 'start', command });
      if (!forwardStdin) return send({ type: 'stdin-end' });
      process.stdin.on('data', (chunk: Buffer) => socket.send(encodeRunData(RunChannel.stdin, chunk)));
      process.stdin.on('end', () => send({ type: 'stdin-end' }));
    });
    process.once('SIGINT', () => send({ type: 'signal', signal: 'SIGINT' }));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const { channel, data: bytes } = decodeRunData(new Uint8Array(data as Buffer));
        (channel === RunChannel.stderr ? process.stderr : process.stdout).write(bytes);
        return;
      }
      const message = JSON.parse(String(data)) as RunServerMessage;
      if (message.type === 'started') process.stderr.write(`Running \`${command.join(' ')}\` as ${message.process} (v${message.release})\n`);
      else if (message.type === 'exit') exitCode = message.code ?? 128 + signalNumber(message.signal);
      else if (message.type === 'error') reject(new DozenError(message.error.code as DozenError['code'], message.error.message, { hint: message.error.hint }));
    });
    socket.on('close', () => {
      process.stdin.pause();
      if (exitCode !== null) resolve(exitCode);
      else reject(new DozenError('INTERNAL', 'The run ended without an exit code (the connection was lost).'));
    });
  });
}

function toError(status: number, body: string): DozenError {
  try {
    const parsed = JSON.parse(body) as { error: { code: DozenError['code']; message: string; hint: string } };
    return new DozenError(parsed.error.code, parsed.error.message, { hint: parsed.error.hint });
  } catch {
    return new DozenError('INTERNAL', `The API refused the run with HTTP ${status}.`);
  }
}

function signalNumber(signal: string | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal ?? ''] ?? 0;
}
