import { spawn } from 'node:child_process';
import { LineSplitter } from '../core/line-splitter.js';
import type { AppUser } from '../core/model.js';

/**
 * Everything one build command is, made explicit so that a sandbox can wrap it: the argv (never
 * a shell command line), the directory it runs in, its whole environment, and the directories
 * it needs to read and to write (besides the system's own, /usr, /etc/ssl and the like).
 * Every program a build runs (npm, pnpm, yarn, buildpack bin/detect, bin/compile, bin/release,
 * git, cp) goes through one `CommandRunner`.
 */
export interface CommandSpec {
  argv: readonly [string, ...string[]];
  cwd: string;
  env: Readonly<Record<string, string>>;
  reads: readonly string[];
  writes: readonly string[];
  /** Whether the command needs the network (package registries, git remotes). */
  network: boolean;
  timeoutMs: number;
  /** Aborting kills the command's whole process group. */
  signal?: AbortSignal | undefined;
  /** Each line of output, as it comes (stdout and stderr interleaved). */
  onLine?: ((line: string) => void) | undefined;
  /** Keep stdout (up to 1 MiB) in the result instead of passing it to onLine. */
  captureStdout?: boolean;
  /** The app's user: a sandboxing runner runs the command as it; the plain runner ignores it. */
  user?: AppUser | undefined;
  /**
   * Directories that belong to the app (its build dir, caches, HOME): a sandboxing runner gives
   * them to the app's user before the command runs, whether it reads or writes them.
   */
  owned?: readonly string[];
}

export interface CommandResult {
  /** Exit code; null when ended by a signal. 127 when the program could not be started. */
  code: number | null;
  signal: string | null;
  stdout: string;
  /** The last lines of output, for error messages. */
  tail: string[];
  timedOut: boolean;
  aborted: boolean;
}

export type CommandRunner = (spec: CommandSpec) => Promise<CommandResult>;

const TAIL_LINES = 20;
const MAX_CAPTURE = 1024 * 1024;

/** Runs one command on the host, in its own process group; the group dies with the command. */
export const runCommand: CommandRunner = (spec) =>
  new Promise((resolve) => {
    const [program, ...args] = spec.argv;
    const tail: string[] = [];
    const note = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      spec.onLine?.(line);
    };
    let stdout = '';
    let timedOut = false;
    let aborted = false;
    if (spec.signal?.aborted) {
      resolve({ code: null, signal: 'SIGKILL', stdout, tail, timedOut, aborted: true });
      return;
    }
    const child = spawn(program, args, { cwd: spec.cwd, env: { ...spec.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new LineSplitter(note);
    const err = new LineSplitter(note);
    child.stdout.on('data', (chunk: Buffer) => {
      if (!spec.captureStdout) return out.push(chunk);
      if (stdout.length < MAX_CAPTURE) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const kill = () => killGroup(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, spec.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    const finish = (code: number | null, signal: string | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      // Whatever the command left running in its group goes with it.
      kill();
      resolve({ code, signal, stdout, tail, timedOut, aborted });
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      note(error.code === 'ENOENT' ? `${program}: command not found` : `${program}: ${error.message}`);
      finish(127, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** How a command ended, in words: `exit code 2`, `signal SIGKILL`, `timed out after 900 s`. */
export function describeExit(result: CommandResult, timeoutMs: number): string {
  if (result.aborted) return 'was cancelled';
  if (result.timedOut) return `did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
  return result.code === null ? `was ended by signal ${result.signal}` : `failed with exit code ${result.code}`;
}
