import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as NodePty from '@lydell/node-pty';
import type { SandboxedProcess } from '../shared-ports/sandbox.js';

export interface ExitStatus {
  code: number | null;
  signal: string | null;
  error: string | null;
}

/** A started program as the sandboxes use it: its pid, stdin, and its end. */
export interface Spawned {
  readonly pid: number | null;
  write(chunk: Uint8Array): void;
  endInput(): void;
  resize(columns: number, rows: number): void;
  /** Stops reading its output (the program blocks once the pipe or terminal is full); `resume` goes on. */
  pauseOutput(): void;
  resumeOutput(): void;
  /** The extra pipe on fd 3 (piped programs that asked for it). */
  readonly fd3: Readable | null;
  readonly exit: Promise<ExitStatus>;
}

/** What every SandboxedProcess hands straight to its program: input, terminal size, output flow, the end. */
export function passThrough(spawned: Spawned): Pick<SandboxedProcess, 'write' | 'endInput' | 'resize' | 'pauseOutput' | 'resumeOutput' | 'exit'> {
  return {
    write: (chunk) => spawned.write(chunk),
    endInput: () => spawned.endInput(),
    resize: (columns, rows) => spawned.resize(columns, rows),
    pauseOutput: () => spawned.pauseOutput(),
    resumeOutput: () => spawned.resumeOutput(),
    exit: spawned.exit,
  };
}

export interface PipedOptions {
  env: Record<string, string>;
  cwd: string;
  stdin: boolean;
  fd3: boolean;
  output(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
  /** Called when the main program exited, before its pipes are drained (to kill leftovers). */
  onMainExit?(): void;
}

/** How long output may still arrive after the program exited (a leftover may hold the pipe). */
const DRAIN_MS = 1000;

/** A program in its own process group with piped stdio. */
export function spawnPiped(file: string, args: string[], options: PipedOptions): Spawned {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.fd3 ? ['pipe' as const] : [])],
  });
  child.stdout?.on('data', (chunk: Buffer) => options.output('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => options.output('stderr', chunk));
  child.stdin?.on('error', () => undefined);
  const fd3 = options.fd3 ? (child.stdio[3] as Readable) : null;
  fd3?.on('error', () => undefined);
  const exit = new Promise<ExitStatus>((resolve) => {
    let exited: ExitStatus | null = null;
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      resolve({ code: null, signal: null, error: error.code === 'ENOENT' ? `${file} was not found` : error.message });
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal, error: null };
      // What is left in the pipes is bounded (their buffers): read it, even for a paused reader.
      child.stdout?.resume();
      child.stderr?.resume();
      options.onMainExit?.();
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, DRAIN_MS).unref();
    });
    child.on('close', (code, signal) => resolve(exited ?? { code, signal, error: null }));
  });
  return {
    pid: child.pid ?? null,
    write: (chunk) => {
      if (child.stdin?.writable) child.stdin.write(chunk);
    },
    endInput: () => child.stdin?.end(),
    resize: () => undefined,
    pauseOutput: () => {
      child.stdout?.pause();
      child.stderr?.pause();
    },
    resumeOutput: () => {
      child.stdout?.resume();
      child.stderr?.resume();
    },
    fd3,
    exit,
  };
}

export interface TerminalOptions {
  env: Record<string, string>;
  cwd: string;
  columns: number;
  rows: number;
  output(chunk: Uint8Array): void;
}

/** A program on a new pseudo-terminal (it is the session leader; the terminal is its own). */
export function spawnOnTerminal(file: string, args: string[], options: TerminalOptions): Spawned {
  let terminal: NodePty.IPty;
  try {
    terminal = nodePty().spawn(file, args, { name: options.env.TERM ?? 'xterm', cols: options.columns, rows: options.rows, cwd: options.cwd, env: options.env, encoding: null });
  } catch (error) {
    return failed((error as Error).message);
  }
  terminal.onData((data) => options.output(typeof data === 'string' ? Buffer.from(data) : data));
  const exit = new Promise<ExitStatus>((resolve) => {
    terminal.onExit(({ exitCode, signal }) => resolve({ code: signal ? null : exitCode, signal: signal ? signalName(signal) : null, error: null }));
  });
  let open = true;
  void exit.then(() => (open = false));
  return {
    pid: terminal.pid,
    write: (chunk) => {
      // node-pty writes what it is given to the terminal's socket: bytes pass through unchanged.
      if (open) terminal.write(Buffer.from(chunk) as unknown as string);
    },
    // A terminal has no end of input; ^D is what a program on it reads as the end.
    endInput: () => {
      if (open) terminal.write('\x04');
    },
    resize: (columns, rows) => {
      if (open) terminal.resize(columns, rows);
    },
    pauseOutput: () => {
      if (open) terminal.pause();
    },
    resumeOutput: () => {
      if (open) terminal.resume();
    },
    fd3: null,
    exit,
  };
}

/** node-pty (a native addon) is loaded by the first run on a terminal, not by every platform. */
function nodePty(): typeof NodePty {
  return createRequire(import.meta.url)('@lydell/node-pty') as typeof NodePty;
}

function failed(error: string): Spawned {
  return { pid: null, write: () => undefined, endInput: () => undefined, resize: () => undefined, pauseOutput: () => undefined, resumeOutput: () => undefined, fd3: null, exit: Promise.resolve({ code: null, signal: null, error }) };
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM' };
function signalName(signal: number): string {
  return SIGNALS[signal] ?? `signal ${signal}`;
}
