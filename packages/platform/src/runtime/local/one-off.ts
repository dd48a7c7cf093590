import { spawn } from 'node:child_process';
import { LineSplitter } from '../../core/line-splitter.js';
import type { OneOff, OneOffRequest } from '../../core/ports.js';
import { SHELL } from './managed-process.js';

export interface OneOffSpec {
  name: string;
  cwd: string;
  env: Record<string, string>;
  command: string[];
  timeoutMs?: number | undefined;
}

/**
 * A one-off process: never restarted, its own process group, output both to the caller and to
 * the app's log stream. One argument is a command line for the shell (as on Heroku: `dozen run
 * "npm run migrate && echo ok"`); several are an argv, passed on exactly as given.
 */
export function startOneOff(spec: OneOffSpec, request: OneOffRequest, logLine: (line: string) => void): OneOff {
  const [program, ...args] = spec.command.length === 1 ? [SHELL, '-c', spec.command[0] as string] : spec.command;
  const child = spawn(program as string, args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new LineSplitter(logLine);
  const err = new LineSplitter(logLine);
  child.stdout.on('data', (chunk: Buffer) => {
    request.onStdout(chunk);
    out.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    request.onStderr(chunk);
    err.push(chunk);
  });
  child.stdin.on('error', () => undefined);
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  const timer = spec.timeoutMs === undefined ? null : setTimeout(() => signal('SIGKILL'), spec.timeoutMs);
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      const message = error.code === 'ENOENT' ? `${program}: command not found\n` : `${program}: ${error.message}\n`;
      request.onStderr(new TextEncoder().encode(message));
      logLine(message.trimEnd());
      resolve({ code: 127, signal: null });
    });
    let exited: { code: number | null; signal: string | null } | undefined;
    child.on('exit', (code, sig) => {
      exited = { code, signal: sig };
      // Whatever it left running in its group goes too, which also closes the pipes.
      signal('SIGKILL');
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      out.end();
      err.end();
      resolve(exited ?? { code, signal: sig });
    });
  });
  return {
    name: spec.name,
    writeStdin: (chunk) => {
      if (child.stdin.writable) child.stdin.write(chunk);
    },
    endStdin: () => child.stdin.end(),
    kill: (name) => signal(name),
    exit,
  };
}
