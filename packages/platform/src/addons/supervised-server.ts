import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter } from '../core/line-splitter.js';
import { restartDelay, type BackoffPolicy } from '../core/restart-backoff.js';
import type { ServiceLog } from './service-log.js';

export interface ServerSpec {
  /** `postgres`, `redis`: names the server in logs and errors. */
  name: string;
  command: string;
  args: string[];
  /** Set before the uid drop (libuv chdirs first), so the account need not traverse its parents. */
  cwd: string;
  env: Record<string, string>;
  uid?: number | undefined;
  gid?: number | undefined;
  /** True once the server answers; called until it does, the process exits, or time is up. */
  probe(): Promise<boolean>;
  /** The signal that asks for a clean, quick stop (postgres: SIGINT, redis: SIGTERM). */
  stopSignal: NodeJS.Signals;
}

const serviceBackoff: BackoffPolicy = { baseMs: 500, capMs: 10_000, resetAfterMs: 60_000, jitter: 0.2 };
const TAIL = 30;

/**
 * A backing server the platform runs itself (embedded PostgreSQL, redis-server): started on
 * demand, restarted with backoff when it dies behind the platform's back, stopped on shutdown.
 */
export class SupervisedServer {
  private child: ChildProcess | null = null;
  private starting: Promise<void> | null = null;
  private stopping = false;
  private crashes = 0;
  private upSince = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly tail: string[] = [];

  constructor(
    private readonly spec: ServerSpec,
    private readonly log: ServiceLog,
    private readonly readyTimeoutMs = 30_000,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server unless it runs; resolves once it answers. */
  start(): Promise<void> {
    if (this.child && !this.starting) return Promise.resolve();
    this.stopping = false;
    this.starting ??= this.launch().finally(() => (this.starting = null));
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(this.spec.stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  private async launch(): Promise<void> {
    this.tail.length = 0;
    const child = this.spawnChild();
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`${this.spec.name} could not be started: ${error.message}`));
      child.once('exit', (code, signal) => resolve(`${this.spec.name} exited with ${code === null ? `signal ${signal}` : `code ${code}`}`));
    });
    const outcome = await Promise.race([exited, this.waitReady(child)]);
    if (outcome !== 'ready') {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      this.child = null;
      throw new Error(`${outcome}${this.tail.length > 0 ? `:\n${this.tail.join('\n')}` : ''}`);
    }
    this.upSince = Date.now();
    this.log('info', `${this.spec.name} is up (pid ${child.pid})`);
    void exited.then((why) => this.onExit(child, why));
  }

  private spawnChild(): ChildProcess {
    const { command, args, cwd, env, uid, gid } = this.spec;
    const child = spawn(command, args, { cwd, env, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = new LineSplitter((line) => {
      this.tail.push(line);
      if (this.tail.length > TAIL) this.tail.shift();
      this.log('debug', line);
    });
    child.stdout?.on('data', (chunk: Buffer) => keep.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => keep.push(chunk));
    return child;
  }

  private async waitReady(child: ChildProcess): Promise<'ready' | string> {
    const deadline = Date.now() + this.readyTimeoutMs;
    while (child.exitCode === null && child.signalCode === null && this.child === child) {
      if (await this.spec.probe().catch(() => false)) return 'ready';
      if (Date.now() > deadline) return `${this.spec.name} did not answer within ${Math.round(this.readyTimeoutMs / 1000)} s`;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The exit promise reports why.
    return new Promise<string>(() => undefined);
  }

  /** Died behind our back: restart, immediately the first time, then with backoff. */
  private onExit(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) return;
    this.crashes = Date.now() - this.upSince >= serviceBackoff.resetAfterMs ? 1 : this.crashes + 1;
    this.scheduleRestart(why);
  }

  private scheduleRestart(why: string): void {
    const delay = restartDelay(this.crashes, serviceBackoff, Math.random);
    this.log('error', `${why}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.start().catch((error: unknown) => {
        this.crashes += 1;
        this.scheduleRestart(`${this.spec.name} restart failed: ${(error as Error).message}`);
      });
    }, delay);
    this.restartTimer.unref();
  }
}
