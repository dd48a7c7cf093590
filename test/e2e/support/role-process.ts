import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './platform.js';

const DOZEN_BIN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

/** The line each role logs once it serves (a JSON log line; `field` names what the test reads from it). */
const READY: Record<RoleName, string> = {
  api: 'Dozen api is up',
  router: 'Dozen edge is up',
  builder: 'Dozen builder is up',
  runtime: 'Dozen runtime is up',
};

export type RoleName = 'api' | 'router' | 'builder' | 'runtime';

/**
 * One `dozen serve <role>` process of a test cluster, with its own environment (data dir, ports).
 * `kill()` is kill -9 (a crash); `start()` again runs a new process with the same environment.
 */
export class RoleProcess {
  private child: ChildProcess | null = null;
  private output = '';
  /** The JSON of the role's "is up" line. */
  ready: Record<string, unknown> = {};

  constructor(
    readonly role: RoleName,
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly args: string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logs(): string {
    return this.output;
  }

  /** Every JSON log line so far whose message contains `text`. */
  linesWith(text: string): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((line) => line.includes(text))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** Starts the process (again: with `env` changed, e.g. the port it had). */
  async start(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<this> {
    this.output = '';
    Object.assign(this.env, env);
    const child = spawn(process.execPath, [DOZEN_BIN, 'serve', this.role, ...this.args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    let up = false;
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.name} (dozen serve ${this.role}) did not start:\n${this.output}`)), timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        const line = this.output.split('\n').find((l) => l.includes(READY[this.role]));
        if (line === undefined || up) return;
        up = true;
        clearTimeout(timer);
        this.ready = JSON.parse(line) as Record<string, unknown>;
        ready();
      });
      child.once('exit', (code) => {
        if (up) return;
        clearTimeout(timer);
        fail(new Error(`${this.name} (dozen serve ${this.role}) exited with ${code} before it was up:\n${this.output}`));
      });
    });
    return this;
  }

  /** kill -9, and waits for the exit. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (graceful), and the exit code. */
  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill(signal);
    const code = await exited;
    this.child = null;
    return code;
  }
}
