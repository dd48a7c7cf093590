import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { runningServer, stopOrphan, worksIn } from './orphan.js';
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
  /** Where the server writes its pid (relative to `cwd` or absolute): a running one is adopted. */
  pidFile: string;
}

const serviceBackoff: BackoffPolicy = { baseMs: 500, capMs: 10_000, resetAfterMs: 60_000, jitter: 0.2 };
const TAIL = 30;

/**
 * A backing server the platform runs itself (embedded PostgreSQL, redis-server): started on
 * demand, restarted with backoff when it dies behind the platform's back. It outlives the
 * platform process as the apps that use it do (a restart `release`s it; `dozen down --stop-apps`
 * stops it): the next start **adopts** the one that runs and answers (its pid file, its working
 * directory), watching it by pid; one that runs and does not answer is stopped and replaced.
 */
export class SupervisedServer {
  private child: ChildProcess | null = null;
  /** A server an earlier platform started, watched by its pid. */
  private adopted: { pid: number; watch: NodeJS.Timeout } | null = null;
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
    return this.child?.pid ?? this.adopted?.pid;
  }

  /** Starts the server unless it runs (adopting one an earlier platform left); resolves once it answers. */
  start(): Promise<void> {
    if ((this.child || this.adopted) && !this.starting) return Promise.resolve();
    this.stopping = false;
    this.starting ??= this.launch().finally(() => (this.starting = null));
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const adopted = this.adopted;
    if (adopted) {
      clearInterval(adopted.watch);
      this.adopted = null;
      return stopOrphan(this.pidFile, this.spec.cwd, this.spec.stopSignal);
    }
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(this.spec.stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** Lets go without stopping it (the platform process restarts; the apps keep using it). */
  release(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.adopted) clearInterval(this.adopted.watch);
    this.adopted = null;
    const child = this.child;
    this.child = null;
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    child?.unref();
  }

  private get pidFile(): string {
    return resolve(this.spec.cwd, this.spec.pidFile);
  }

  private async launch(): Promise<void> {
    if (await this.adopt()) return;
    // One that runs and does not answer holds the port and the data: it goes first.
    await stopOrphan(this.pidFile, this.spec.cwd, this.spec.stopSignal);
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

  /** Adopts the server an earlier platform started, when it runs here and answers. */
  private async adopt(): Promise<boolean> {
    const pid = runningServer(this.pidFile, this.spec.cwd);
    if (pid === null || !(await this.spec.probe().catch(() => false))) return false;
    const watch = setInterval(() => {
      if (this.adopted?.pid !== pid || worksIn(pid, this.spec.cwd)) return;
      clearInterval(watch);
      this.adopted = null;
      if (this.stopping) return;
      this.crashes = Date.now() - this.upSince >= serviceBackoff.resetAfterMs ? 1 : this.crashes + 1;
      this.scheduleRestart(`${this.spec.name} (pid ${pid}) exited`);
    }, 1000);
    watch.unref();
    this.adopted = { pid, watch };
    this.upSince = Date.now();
    this.log('info', `${this.spec.name} is up (pid ${pid}, adopted: an earlier platform process started it)`);
    return true;
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
