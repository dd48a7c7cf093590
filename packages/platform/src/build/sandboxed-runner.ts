import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { LineSplitter } from '../core/line-splitter.js';
import type { ProcessLimits, Sandbox, SandboxBind } from '../shared-ports/sandbox.js';
import { runCommand, type CommandResult, type CommandRunner, type CommandSpec } from './command-runner.js';

const TAIL_LINES = 20;
const MAX_CAPTURE = 1024 * 1024;

/**
 * Build commands in the sandbox: as the app's own uid, seeing the system (/usr, a few /etc
 * files), a private /tmp, exactly the directories the command declared (reads read-only, writes
 * writable, at their own paths) and nothing else of the host: not the platform's data, not other
 * apps, not the platform's environment. The network is the host's (package registries).
 * Without a sandbox (no bubblewrap, not root) commands run as the plain runner runs them.
 */
export function sandboxedRunner(sandbox: Sandbox, limits?: ProcessLimits): CommandRunner {
  if (sandbox.kind === 'none') return runCommand;
  return async (spec) => {
    const user = spec.user;
    if (!user) return runCommand(spec);
    for (const dir of new Set([...(spec.owned ?? []), ...spec.writes])) {
      await mkdir(dir, { recursive: true });
      await sandbox.grant(dir, user);
    }
    return runSandboxed(sandbox, spec, bindsOf(spec), limits);
  };
}

/**
 * A build command's limits: one memory limit (no quota warnings: builds have no R14), more
 * processes than an app process (parallel installs), a default CPU weight, a 1 GB /tmp.
 */
export function buildLimits(memoryBytes: number): ProcessLimits {
  return { size: 'build', memoryQuotaBytes: memoryBytes, memoryLimitBytes: memoryBytes, pidsMax: 1024, cpuWeight: 100, tmpBytes: 1024 * 1024 * 1024 };
}

/**
 * Reads read-only, then writes writable (a write inside a read stays writable). A read that does
 * not exist (an empty cache) has nothing to give: it is left out rather than made.
 */
function bindsOf(spec: CommandSpec): SandboxBind[] {
  const writes = new Set(spec.writes);
  const reads = spec.reads.filter((dir) => !writes.has(dir) && existsSync(dir));
  return [...reads.map((dir) => ({ source: dir, target: dir, writable: false })), ...[...writes].map((dir) => ({ source: dir, target: dir, writable: true }))];
}

function runSandboxed(sandbox: Sandbox, spec: CommandSpec, binds: SandboxBind[], limits: ProcessLimits | undefined): Promise<CommandResult> {
  const tail: string[] = [];
  let stdout = '';
  const note = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    spec.onLine?.(line);
  };
  const out = new LineSplitter(note);
  const err = new LineSplitter(note);
  if (spec.signal?.aborted) return Promise.resolve({ code: null, signal: 'SIGKILL', stdout, tail, timedOut: false, aborted: true });
  const process = sandbox.run({
    argv: [...spec.argv],
    cwd: spec.cwd,
    env: { ...spec.env },
    user: spec.user as NonNullable<CommandSpec['user']>,
    binds,
    stdin: false,
    limits,
    output: (stream, chunk) => {
      if (stream === 'stdout' && spec.captureStdout) {
        if (stdout.length < MAX_CAPTURE) stdout += Buffer.from(chunk).toString('utf8');
      } else (stream === 'stdout' ? out : err).push(chunk);
    },
  });
  let timedOut = false;
  let aborted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.signal('SIGKILL');
  }, spec.timeoutMs);
  const onAbort = () => {
    aborted = true;
    process.signal('SIGKILL');
  };
  spec.signal?.addEventListener('abort', onAbort);
  return process.exit.then(({ code, signal, error, memoryExceeded }) => {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
    out.end();
    err.end();
    if (error) note(`${spec.argv[0]}: ${error}`);
    if (memoryExceeded && limits) note(`Build command killed: it reached the build memory limit of ${Math.round(limits.memoryLimitBytes / 1024 / 1024)} MB (DOZEN_BUILD_MEMORY_MB)`);
    // The sandbox reports a kill as 128 + the signal's number, as a shell does.
    const killed = timedOut || aborted;
    return { code: killed ? null : code, signal: killed ? 'SIGKILL' : signal, stdout, tail, timedOut, aborted };
  });
}
