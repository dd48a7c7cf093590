import { spawn } from 'node:child_process';
import { DozenError } from '@dozen/contracts/errors';
import { LineSplitter } from '../core/line-splitter.js';
import type { OutputWriter } from '../core/ports.js';

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  output: OutputWriter;
  timeoutMs: number;
}

/**
 * Runs one build command as an argv array (no shell), streaming its output indented under the
 * phase heading. On timeout the whole process group is killed.
 */
export function runCommand(program: string, args: string[], options: CommandOptions): Promise<void> {
  const label = [program, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const print = (line: string) => options.output.line(`       ${line}`);
    const out = new LineSplitter(print);
    const err = new LineSplitter(print);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DozenError('BUILD_FAILED', `Could not run \`${label}\`: ${error.code === 'ENOENT' ? `${program} was not found` : error.message}.`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.end();
      err.end();
      killGroup(child.pid, 'SIGKILL');
      if (timedOut) reject(new DozenError('BUILD_FAILED', `\`${label}\` did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`));
      else if (code === 0) resolve();
      else reject(new DozenError('BUILD_FAILED', `\`${label}\` failed with ${code === null ? `signal ${signal}` : `exit code ${code}`}.`));
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
