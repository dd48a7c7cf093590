import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LineSplitter } from '../../core/line-splitter.js';
import type { ProcessState } from '../../core/model.js';
import { waitUntilAccepting } from './readiness.js';

export interface ProcessSpec {
  app: string;
  type: string;
  index: number;
  release: number;
  generation: number;
  command: string;
  cwd: string;
  /** Builds the environment for a start on `port` (a web process gets a new port per start). */
  env(port: number | null): Record<string, string>;
  /** Web processes get a port and must accept on it within the boot timeout. */
  needsPort: boolean;
}

export interface ProcessEvents {
  line(process: ManagedProcess, line: string): void;
  ready(process: ManagedProcess): void;
  exit(process: ManagedProcess, wasStopping: boolean): void;
}

const TAIL_LINES = 20;
/** Procfile commands are shell lines; bash (as on Heroku) execs a simple command, so signals reach the app itself. */
export const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/**
 * One supervised process: spawned in its own process group so that a stop reaches everything
 * it started, with its output split into lines and, for web, a readiness check on PORT.
 */
export class ManagedProcess {
  state: ProcessState = 'starting';
  pid: number | null = null;
  port: number | null = null;
  startedAt: Date | null = null;
  upSince: number | null = null;
  /** How long the last run was up before it ended (ms). */
  lastUpMs = 0;
  restarts = 0;
  /** Consecutive crashes; reset after a long enough run. */
  crashes = 0;
  lastExit: string | null = null;
  /** Why the last run ended badly, in the words a deploy prints. */
  failure: string | null = null;
  restartDueAt: number | null = null;
  private bootTimedOut = false;
  readonly tail: string[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private boot: AbortController | null = null;

  constructor(
    readonly id: string,
    readonly spec: ProcessSpec,
    private readonly events: ProcessEvents,
    private readonly bootTimeoutMs: number,
  ) {}

  get name(): string {
    return `${this.spec.type}.${this.spec.index}`;
  }

  start(port: number | null): void {
    if (this.startedAt) this.restarts += 1;
    this.state = 'starting';
    this.port = port;
    this.restartDueAt = null;
    this.startedAt = new Date();
    this.bootTimedOut = false;
    const child = spawn(SHELL, ['-c', this.spec.command], {
      cwd: this.spec.cwd,
      env: this.spec.env(port),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.pid = child.pid ?? null;
    const out = new LineSplitter((line) => this.onLine(line));
    const err = new LineSplitter((line) => this.onLine(line));
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('close', () => {
      out.end();
      err.end();
    });
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.failure = `${this.name} could not start: ${error.message}`;
        // A spawn that failed outright (no pid) never emits 'exit'.
        if (child.pid === undefined) {
          this.onExit(null, null);
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
    if (this.spec.needsPort && port !== null) void this.awaitBinding(port);
    else this.markUp();
  }

  /** SIGTERM to the group, SIGKILL after the grace period; resolves once the process is gone. */
  async stop(graceMs: number): Promise<void> {
    const wasRunning = this.child !== null && this.state !== 'crashed';
    this.state = 'stopping';
    this.boot?.abort();
    if (!wasRunning) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private async awaitBinding(port: number): Promise<void> {
    const boot = new AbortController();
    this.boot = boot;
    const timer = setTimeout(() => boot.abort(), this.bootTimeoutMs);
    const bound = await waitUntilAccepting(port, boot.signal);
    clearTimeout(timer);
    if (this.state !== 'starting' || this.boot !== boot) return;
    if (bound) {
      this.markUp();
      return;
    }
    this.bootTimedOut = true;
    this.failure = `${this.name} did not bind PORT ${port} within ${Math.round(this.bootTimeoutMs / 1000)} s`;
    this.onLine(`Error R10 (Boot timeout): ${this.failure}; stopping it`);
    this.signal('SIGKILL');
  }

  private markUp(): void {
    this.state = 'up';
    this.upSince = Date.now();
    this.events.ready(this);
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.events.line(this, line);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.boot?.abort();
    this.lastExit = code !== null ? `exit code ${code}` : signal !== null ? `signal ${signal}` : 'spawn failure';
    this.lastUpMs = this.upSince === null ? 0 : Date.now() - this.upSince;
    // Whatever the process left behind in its group goes with it.
    this.signal('SIGKILL');
    this.child = null;
    const wasStopping = this.state === 'stopping';
    if (!wasStopping) {
      if (!this.bootTimedOut && this.lastExit !== 'spawn failure') this.failure = this.port !== null && this.upSince === null
        ? `${this.name} exited with ${this.lastExit} before binding PORT ${this.port}`
        : `${this.name} exited with ${this.lastExit}`;
      this.state = 'crashed';
    }
    this.upSince = null;
    this.events.exit(this, wasStopping);
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.pid === null) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }
}
