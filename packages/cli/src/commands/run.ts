import { decodeRunData, encodeRunData, RunChannel } from '@dozen/contracts/run-protocol';
import { DozenError } from '@dozen/contracts/errors';
import type { RunClientMessage, RunServerMessage } from '@dozen/contracts';
import { echoCommand } from '../command-echo.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { print, printJson } from '../output.js';

interface RunOptions extends AppOptions {
  detached?: boolean;
  timeout?: string;
  tty?: boolean;
  size?: string;
}

export const registerRun: Registrar = (program, context) => {
  appCommand(program, 'run', 'run a one-off process from the current release: dozen run -a APP -- CMD ARGS...')
    .argument('<command...>', 'the command; one argument is run by the shell, several are passed as they are')
    .option('--detached', 'run in the background; its output goes to `dozen logs`')
    .option('--timeout <seconds>', 'stop it (the whole process group) after this many seconds')
    .option('--size <size>', 'its process size (memory quota, pids, CPU weight, /tmp); default standard-1x')
    .option('--no-tty', 'use plain pipes even when stdin is a terminal')
    .option('--json', 'with --detached: print JSON')
    .passThroughOptions()
    .action(async (command: string[], options: RunOptions) => {
      const app = requireAppName(options);
      const timeoutSeconds = options.timeout === undefined ? undefined : parseTimeout(options.timeout);
      const size = options.size;
      const extra = { ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }), ...(size === undefined ? {} : { size }) };
      if (options.detached) return runDetached(context, app, command, extra, options.json === true);
      process.exitCode = await runAttached(context, app, command, extra, options.tty !== false);
    });
};

type StartMessage = Extract<RunClientMessage, { type: 'start' }>;

/**
 * Runs a one-off attached to this terminal: a TTY when stdin and stdout are terminals (and
 * `allowTty`), stdin forwarded when it is a pipe. Answers the process's exit code.
 */
export function runAttached(context: CliContext, app: string, command: string[], extra: Partial<StartMessage>, allowTty = true): Promise<number> {
  const tty = allowTty && context.stdinIsTty && context.stdoutIsTty;
  const { url, headers } = context.client().runEndpoint(app);
  const start: StartMessage = { ...extra, type: 'start', command };
  if (tty) Object.assign(start, { tty: true, columns: process.stdout.columns || 80, rows: process.stdout.rows || 24, term: context.term });
  return runRemote(url, headers, start, tty ? 'terminal' : context.stdinIsTty ? 'none' : 'pipe');
}

async function runDetached(context: CliContext, app: string, command: string[], options: { timeoutSeconds?: number; size?: string }, json: boolean): Promise<void> {
  const body = { command, ...options };
  const started = await context.client().call('createRun', { params: { app }, body });
  if (json) return printJson(started);
  print(`Running \`${echoCommand(command)}\` detached as ${started.process} (v${started.release}); its output goes to \`dozen logs -a ${app}\`.`);
}

/**
 * Streams a one-off over the run WebSocket. `terminal`: the local terminal goes raw, every key
 * (Ctrl-C included) is sent as typed and its size follows; `pipe`: stdin is forwarded to its end;
 * `none`: the process gets no input.
 */
async function runRemote(url: string, headers: Record<string, string>, start: RunClientMessage, input: 'terminal' | 'pipe' | 'none'): Promise<number> {
  // Loaded here, not at start: every other command starts faster without it.
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let exitCode: number | null = null;
    const send = (message: RunClientMessage) => socket.send(JSON.stringify(message));
    const restore = input === 'terminal' ? rawTerminal(send) : () => undefined;
    socket.on('unexpected-response', (request, response) => {
      const connection = request.socket;
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        // ws leaves the refused request's connection open: without this the CLI would never exit.
        connection?.destroy();
        restore();
        reject(toError(response.statusCode ?? 0, body));
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      restore();
      reject(new DozenError('API_UNREACHABLE', `Cannot reach the Dozen API at ${url}: ${error.code ?? error.message}.`));
    });
    socket.on('open', () => {
      send(start);
      if (input === 'none') return send({ type: 'stdin-end' });
      process.stdin.on('data', (chunk: Buffer) => socket.send(encodeRunData(RunChannel.stdin, chunk)));
      process.stdin.on('end', () => send({ type: 'stdin-end' }));
    });
    if (input !== 'terminal') process.once('SIGINT', () => send({ type: 'signal', signal: 'SIGINT' }));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        const { channel, data: bytes } = decodeRunData(new Uint8Array(data as Buffer));
        const out = channel === RunChannel.stderr ? process.stderr : process.stdout;
        // A slow reader of our output slows the connection, and with it the process (the platform
        // pauses it): nothing piles up here.
        if (!out.write(bytes)) {
          socket.pause();
          out.once('drain', () => socket.resume());
        }
        return;
      }
      const message = JSON.parse(String(data)) as RunServerMessage;
      const command = start.type === 'start' ? echoCommand([...(start.addonClient ? [start.addonClient.client] : []), ...start.command]) : '';
      if (message.type === 'started') process.stderr.write(`Running \`${command}\` as ${message.process} (v${message.release})${input === 'terminal' ? ' on a terminal' : ''}\r\n`);
      else if (message.type === 'exit') exitCode = message.code ?? 128 + signalNumber(message.signal);
      else if (message.type === 'error') reject(new DozenError(message.error.code as DozenError['code'], message.error.message, { hint: message.error.hint }));
    });
    socket.on('close', () => {
      restore();
      process.stdin.pause();
      if (exitCode !== null) resolve(exitCode);
      // The platform stopped (or the network dropped) mid-run: not a bug, and the platform ends a
      // one-off whose connection is gone, so say that rather than the generic INTERNAL.
      else reject(new DozenError('API_UNREACHABLE', `The connection to the Dozen API at ${url} was lost before the one-off exited (was the platform stopped or restarted?); the one-off was stopped with it.`));
    });
  });
}

/** Puts the local terminal in raw mode and sends its size as it changes; returns the undo. */
function rawTerminal(send: (message: RunClientMessage) => void): () => void {
  process.stdin.setRawMode(true);
  const resize = () => send({ type: 'resize', columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 });
  process.stdout.on('resize', resize);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    process.stdout.off('resize', resize);
    process.stdin.setRawMode(false);
  };
}

function parseTimeout(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new DozenError('CLI_USAGE', `--timeout ${JSON.stringify(value)} is not a whole number of seconds.`, { hint: 'Give seconds, e.g. --timeout 600.' });
  return Number(value);
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
