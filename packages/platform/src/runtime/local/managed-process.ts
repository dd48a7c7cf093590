import { existsSync } from 'node:fs';
import { LineSplitter } from '../../core/line-splitter.js';
import type { HealthCheck, ProcessState } from '../../core/model.js';
import type { ProcessLimits, Sandbox, SandboxedProcess } from '../../shared-ports/sandbox.js';
import type { AppAddress } from '../../shared-ports/app-network.js';
import { runHealthChecks } from './health-check.js';
import type { Launch } from './process-launch.js';
import { r15Line, watchMemory } from './memory-watch.js';
import { waitUntilAccepting } from './readiness.js';
import type { Evidence } from '../../core/scorecard/evidence.js';
import { LOG_SAMPLES_MS, ProcessEvidence } from './process-evidence.js';
import { loopbackOnly, requiredCheckFailure } from './required-checks.js';

export interface ProcessSpec {
  app: string;
  type: string;
  index: number;
  release: number;
  generation: number;
  command: string;
  /** Web processes get a port and must accept on it within the boot timeout. */
  needsPort: boolean;
  /** Checked once the port accepts, before the process counts as up. */
  healthchecks: readonly HealthCheck[];
  /** The app's network, made ready (idempotent). */
  network(): Promise<AppAddress>;
  /** How to start it on `port` (a web process gets a new port per start) on the app's network. */
  launch(port: number | null, address: AppAddress): Launch;
  /** How often its memory is compared with its quota (R14). */
  memorySampleMs: number;
  /** The scorecard checks the app requires (`scorecard:require`); the runtime gates what it can of them. */
  requiredChecks: readonly string[];
}

export interface ProcessEvents {
  /** A line of the process's own output. */
  line(process: ManagedProcess, line: string): void;
  /** What the platform says about it (boot timeout, health checks, exit timeout). */
  notice(process: ManagedProcess, line: string): void;
  ready(process: ManagedProcess): void;
  exit(process: ManagedProcess, wasStopping: boolean): void;
  /** What it showed of the twelve factors (issue 18). */
  evidence(process: ManagedProcess, evidence: Evidence): void;
}

const TAIL_LINES = 20;
/** Procfile commands are shell lines; bash (as on Heroku) execs a simple command, so signals reach the app itself. */
export const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/**
 * One supervised process, in its own sandbox: its output split into lines and, for web, a
 * readiness check on PORT and the app's health checks before it counts as up.
 */
export class ManagedProcess {
  state: ProcessState = 'starting';
  port: number | null = null;
  /** Where the platform connects to its port (its app's network address). */
  host = '127.0.0.1';
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
  readonly tail: string[] = [];
  private running: SandboxedProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private boot: AbortController | null = null;
  private failedToBoot = false;
  /** Whether a sandboxed run is alive (its exit has not been seen yet). */
  private alive = false;
  private limits: ProcessLimits | null = null;
  private readonly probe = new ProcessEvidence({ pids: () => (this.alive ? (this.running?.pids?.() ?? []) : []), report: (evidence) => this.events.evidence(this, evidence) });

  constructor(
    readonly id: string,
    readonly spec: ProcessSpec,
    private readonly events: ProcessEvents,
    private readonly sandbox: Sandbox,
  ) {}

  get name(): string {
    return `${this.spec.type}.${this.spec.index}`;
  }

  get pid(): number | null {
    return this.running?.usage().pid ?? null;
  }

  usage(): { pid: number | null; rssBytes: number | null; cpuSeconds: number | null } {
    if (!this.running || !this.alive) return { pid: null, rssBytes: null, cpuSeconds: null };
    const usage = this.running.usage();
    // Where limits are enforced, what counts against the quota (its tmpfs pages included).
    return { pid: usage.pid, rssBytes: this.running.memoryBytes() ?? usage.rssBytes, cpuSeconds: usage.cpuSeconds };
  }

  /** Its memory quota while it runs with one enforced. */
  get memoryQuotaBytes(): number | null {
    return this.running && this.alive && this.running.memoryBytes() !== null ? (this.limits?.memoryQuotaBytes ?? null) : null;
  }

  get size(): string | null {
    return this.limits?.size ?? null;
  }

  /** Starts (again) on `port`; a web process must accept on it within `bootTimeoutMs`. */
  async start(port: number | null, bootTimeoutMs: number): Promise<void> {
    if (this.startedAt) this.restarts += 1;
    this.state = 'starting';
    this.port = port;
    this.restartDueAt = null;
    this.startedAt = new Date();
    this.failedToBoot = false;
    this.failure = null;
    let finish: () => void = () => undefined;
    this.exited = new Promise((resolve) => (finish = resolve));
    const address = await this.spec.network().catch((error: Error) => `${this.name} cannot start: its network cannot be set up: ${error.message}`);
    const launch = typeof address === 'string' ? null : this.spec.launch(port, address);
    const problem = launch === null ? (address as string) : await this.prepare(launch);
    if (problem !== null || launch === null || this.state !== 'starting') {
      if (problem !== null) this.failure = problem;
      this.onExit({ code: null, signal: null, error: problem ?? 'stopped before it started' });
      return finish();
    }
    const out = new LineSplitter((line) => this.onLine(line));
    const err = new LineSplitter((line) => this.onLine(line));
    this.probe.spawned();
    const running = this.sandbox.run({ ...launch, stdin: false, reportLeftovers: true, output: (stream, chunk) => (stream === 'stderr' ? err : out).push(chunk) });
    this.running = running;
    this.limits = launch.limits;
    this.alive = true;
    const unwatch = watchMemory(running, launch.limits, this.spec.memorySampleMs, (line) => this.onNotice(line));
    void running.exit.then((status) => {
      unwatch();
      this.alive = false;
      if (status.memoryExceeded) this.onNotice(r15Line(this.name, launch.limits));
      out.end();
      err.end();
      this.onExit(status);
      finish();
    });
    this.host = launch.host;
    if (this.spec.needsPort && port !== null) void this.awaitReady(port, bootTimeoutMs);
    else this.markUp();
  }

  /**
   * Marks it stopping at once (nothing plans with it any more), waits for `drained` (its
   * requests in flight), then SIGTERM to every process of it and SIGKILL after the grace period.
   * Resolves once all of them are gone.
   */
  async stop(graceMs: number, drained: Promise<void> = Promise.resolve()): Promise<void> {
    this.state = 'stopping';
    this.boot?.abort();
    await drained;
    if (!this.alive) return this.exited;
    this.running?.signal('SIGTERM');
    const signalledAt = Date.now();
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.onNotice(`Error R12 (Exit timeout): ${this.name} did not exit within ${graceMs / 1000} s of SIGTERM; sending SIGKILL`);
      this.running?.signal('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    this.probe.stopped(signalledAt, killed, graceMs);
  }

  /** Why it cannot start from `launch` (its slug's files are gone), or null. */
  private async prepare(launch: Launch): Promise<string | null> {
    if (!existsSync(launch.slugDir)) {
      return `${this.name} cannot start: the files of release v${this.spec.release} are missing (${launch.slugDir} does not exist); deploy again`;
    }
    try {
      await this.sandbox.grant(launch.slugDir, launch.user);
      return null;
    } catch (error) {
      return `${this.name} cannot start: its files cannot be given to the app's user: ${(error as Error).message}`;
    }
  }

  private async awaitReady(port: number, bootTimeoutMs: number): Promise<void> {
    const boot = new AbortController();
    this.boot = boot;
    const timer = setTimeout(() => boot.abort(), bootTimeoutMs);
    const gate = this.gateListening(port, boot);
    const bound = await waitUntilAccepting(port, boot.signal, this.host);
    clearTimeout(timer);
    clearInterval(gate);
    if (this.state !== 'starting' || this.boot !== boot) return;
    const addresses = this.probe.bound(port, bound);
    const required = requiredCheckFailure(this.name, this.spec.requiredChecks, { addresses, port, host: this.host });
    if (required !== null) return this.failBoot('Error (Required check failed)', required, false);
    // Listening where the platform cannot connect is VII's failure (its boot time is not known).
    if (!bound && loopbackOnly(addresses)) return this.failBoot(`Error R10 (Boot timeout)`, `${this.name} did not bind PORT ${port} within ${seconds(bootTimeoutMs)} s: it listens on ${addresses.join(', ')} only; the platform connects on ${this.host}`, false);
    if (!bound) return this.failBoot(`Error R10 (Boot timeout)`, `${this.name} did not bind PORT ${port} within ${seconds(bootTimeoutMs)} s`);
    const health = new AbortController();
    this.boot = health;
    const unhealthy = await runHealthChecks({ host: this.host, port }, this.spec.healthchecks, health.signal, (line) => this.onNotice(line));
    if (this.state !== 'starting' || this.boot !== health) return;
    if (unhealthy !== null) return this.failBoot('Error (Health check failed)', `${this.name} ${unhealthy}`);
    const taken = await this.gateLogFiles(health);
    if (taken === null) return;
    this.probe.booted(true);
    this.markUp(taken);
  }

  /**
   * With VII.binds-port required and the port not reachable where the platform connects, a
   * process that listens on loopback only never comes up: its boot ends as soon as that is seen.
   */
  private gateListening(port: number, boot: AbortController): NodeJS.Timeout | undefined {
    if (!this.spec.requiredChecks.includes('VII.binds-port') || this.host.startsWith('127.')) return undefined;
    return setInterval(() => {
      if (loopbackOnly(this.probe.listening(port))) boot.abort();
    }, 200);
  }

  /**
   * With XI.logs-to-stdout required, a web process is sampled once (LOG_SAMPLES_MS[0] after it is
   * healthy) before it joins the router; an open log file fails its boot. Answers how many samples
   * were taken, or null when it no longer starts.
   */
  private async gateLogFiles(health: AbortController): Promise<number | null> {
    if (!this.spec.requiredChecks.includes('XI.logs-to-stdout')) return 0;
    await new Promise((resolve) => setTimeout(resolve, LOG_SAMPLES_MS[0]));
    if (this.state !== 'starting' || this.boot !== health) return null;
    const files = this.probe.sampleLogFiles();
    if (files.length === 0) return 1;
    this.failBoot('Error (Required check failed)', `${this.name} writes ${files.join(', ')}: XI.logs-to-stdout is required (log to stdout, not to files)`, false);
    return null;
  }

  /** `measured`: whether the failure says how long it boots (not when a required check failed first). */
  private failBoot(code: string, failure: string, measured = true): void {
    if (measured) this.probe.booted(false);
    this.failedToBoot = true;
    this.failure = failure;
    this.onNotice(`${code}: ${failure}; stopping it`);
    this.running?.signal('SIGKILL');
  }

  private markUp(samplesTaken = 0): void {
    this.probe.up(samplesTaken);
    this.state = 'up';
    this.upSince = Date.now();
    this.events.ready(this);
  }

  private onLine(line: string): void {
    if (this.probe.line(line) === 'daemonized') {
      return this.onNotice(`${this.name} daemonized: its main process exited on its own while processes it started were still running (they were stopped with it)`);
    }
    this.remember(line);
    this.events.line(this, line);
  }

  private onNotice(line: string): void {
    this.remember(line);
    this.events.notice(this, line);
  }

  /** The last lines, which a failed deploy prints. */
  private remember(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }

  private onExit(status: { code: number | null; signal: string | null; error: string | null; memoryExceeded?: boolean }): void {
    this.boot?.abort();
    this.probe.cancel();
    this.lastExit = status.memoryExceeded ? 'memory quota' : status.error !== null ? 'failed to start' : status.code !== null ? `exit code ${status.code}` : `signal ${status.signal}`;
    this.lastUpMs = this.upSince === null ? 0 : Date.now() - this.upSince;
    const wasStopping = this.state === 'stopping';
    if (!wasStopping) {
      if (status.error !== null && this.failure === null) this.failure = `${this.name} could not start: ${status.error}`;
      else if (!this.failedToBoot && status.error === null) this.failure = this.port !== null && this.upSince === null
        ? `${this.name} exited with ${this.lastExit} before binding PORT ${this.port}`
        : `${this.name} exited with ${this.lastExit}`;
      this.state = 'crashed';
    }
    this.upSince = null;
    this.events.exit(this, wasStopping);
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
