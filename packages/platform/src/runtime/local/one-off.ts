import { existsSync } from 'node:fs';
import { LineSplitter } from '../../core/line-splitter.js';
import type { OneOff, OneOffRequest } from '../../core/ports/runtime.js';
import type { ProcessLimits, Sandbox, SandboxedProcess } from '../../shared-ports/sandbox.js';
import { r15Line, watchMemory } from './memory-watch.js';
import type { OneOffUsage } from './process-status.js';
import type { Launch } from './process-launch.js';

export interface OneOffSpec {
  name: string;
  /** Sets the app's network up, then says how to start it. */
  launch(): Promise<Launch>;
  timeoutMs?: number | undefined;
  tty?: { columns: number; rows: number } | undefined;
  memorySampleMs: number;
}

type ExitStatus = { code: number | null; signal: string | null };

/**
 * A one-off process in the app's sandbox: never restarted, killed whole after its timeout. Its
 * output goes to the caller and, without a terminal, to the app's log stream (a terminal session
 * echoes what is typed, passwords included, so it is not logged).
 */
export type LocalOneOff = OneOff & { usage(): OneOffUsage };

/** `logLine` gets the app's output lines, `notice` what the platform says about the run. */
export function startOneOff(sandbox: Sandbox, spec: OneOffSpec, request: OneOffRequest, logLine: (line: string) => void, notice: (line: string) => void): LocalOneOff {
  const out = new LineSplitter(logLine);
  const err = new LineSplitter(logLine);
  const pending: ((running: SandboxedProcess) => void)[] = [];
  let running: SandboxedProcess | null = null;
  const whenRunning = (action: (r: SandboxedProcess) => void) => (running ? action(running) : pending.push(action));
  let timer: NodeJS.Timeout | null = null;
  // Known once the launch is (its network set up): until then usage() names no size.
  let limits: ProcessLimits | null = null;

  const exit = (async (): Promise<ExitStatus> => {
    let launch: Launch;
    try {
      launch = await spec.launch();
    } catch (error) {
      return refuse(request, `${spec.name} cannot start: its network cannot be set up: ${(error as Error).message}`, 1, notice);
    }
    if (!existsSync(launch.slugDir)) return refuse(request, `${spec.name} cannot start: the files of its release are missing (${launch.slugDir}); deploy again`, 1, notice);
    try {
      await sandbox.grant(launch.slugDir, launch.user);
    } catch (error) {
      return refuse(request, `${spec.name} cannot start: its files cannot be given to the app's user: ${(error as Error).message}`, 1, notice);
    }
    running = sandbox.run({
      ...launch,
      stdin: true,
      tty: spec.tty,
      output: (stream, chunk) => {
        if (stream === 'stderr') request.onStderr(chunk);
        else request.onStdout(chunk);
        if (!spec.tty) (stream === 'stderr' ? err : out).push(chunk);
      },
    });
    for (const action of pending.splice(0)) action(running);
    limits = launch.limits;
    const unwatch = watchMemory(running, launch.limits, spec.memorySampleMs, notice);
    if (spec.timeoutMs !== undefined) {
      const ms = spec.timeoutMs;
      timer = setTimeout(() => {
        const message = `${spec.name} did not finish within its timeout of ${Math.round(ms / 1000)} s; stopping it`;
        request.onStderr(new TextEncoder().encode(spec.tty ? `\r\n${message}\r\n` : `${message}\n`));
        notice(message);
        running?.signal('SIGKILL');
      }, ms);
    }
    const status = await running.exit;
    unwatch();
    if (timer) clearTimeout(timer);
    if (status.memoryExceeded) {
      const line = r15Line(spec.name, launch.limits);
      request.onStderr(new TextEncoder().encode(spec.tty ? `\r\n${line}\r\n` : `${line}\n`));
      notice(line);
    }
    out.end();
    err.end();
    if (status.error !== null) return refuse(request, `${launch.argv[0] ?? ''}: command not found`, 127, notice);
    return { code: status.code, signal: status.signal };
  })();

  return {
    name: spec.name,
    writeStdin: (chunk) => whenRunning((r) => r.write(chunk)),
    endStdin: () => whenRunning((r) => r.endInput()),
    kill: (signal) => whenRunning((r) => r.signal(signal)),
    resize: (columns, rows) => whenRunning((r) => r.resize(columns, rows)),
    pauseOutput: () => whenRunning((r) => r.pauseOutput()),
    resumeOutput: () => whenRunning((r) => r.resumeOutput()),
    usage: () => usageOf(running, limits),
    exit,
  };
}

function usageOf(running: SandboxedProcess | null, limits: ProcessLimits | null): OneOffUsage {
  if (running === null || limits === null) return { pid: null, rssBytes: null, cpuSeconds: null, size: limits?.size ?? null, memoryQuotaBytes: null };
  const usage = running.usage();
  const memory = running.memoryBytes();
  return { pid: usage.pid, rssBytes: memory ?? usage.rssBytes, cpuSeconds: usage.cpuSeconds, size: limits.size, memoryQuotaBytes: memory === null ? null : limits.memoryQuotaBytes };
}

function refuse(request: OneOffRequest, message: string, code: number, notice: (line: string) => void): ExitStatus {
  request.onStderr(new TextEncoder().encode(`${message}\n`));
  notice(message);
  return { code, signal: null };
}
