import { spawn, type ChildProcess } from 'node:child_process';
import { DOZEN_BIN } from './git.js';

/** A running `dozen dev` (or any long-running CLI command): its output so far, and waits on it. */
export interface RunningCli {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from` (an index into it). */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited(): Promise<{ code: number | null; ms: number }>;
}

/** The real CLI in `cwd` with exactly `env` (no PORT of the test runner's). */
export function startCli(args: string[], cwd: string, env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [DOZEN_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    waitFor(pattern, from = 0, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const match = text.slice(from).match(pattern);
          if (match) return resolve(match);
          if (child.exitCode !== null || Date.now() > deadline) return reject(new Error(`no ${pattern} in the output:\n${text}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    async exited() {
      const start = Date.now();
      const code = await closed;
      return { code, ms: Date.now() - start };
    },
  };
}
