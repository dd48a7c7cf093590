import type { Evidence } from '../../core/scorecard/evidence.js';
import { listenAddresses, openLogFiles, refusedWrite } from './process-probe.js';

/** When the open files of a process are sampled after it came up (ms): bounded, then never again. */
export const LOG_SAMPLES_MS: readonly number[] = [1000, 2000, 3000];
/** At most this many refused paths are kept per process. */
const MAX_PATHS = 10;
/** The line our init (sandbox-init.ts) says when the command exited on its own and left processes running. */
const DAEMONIZED = /^dozen-init: exited (\d+) leaving (\d+)$/;

export interface ProbeTarget {
  /** The host pids of the process and of what it started (empty when unknown). */
  pids(): number[];
  report(evidence: Evidence): void;
}

/**
 * What one run of a process shows of the twelve factors (issue 18), measured as it starts, runs
 * and stops: the runtime calls it at each step; it reads /proc and reports evidence.
 */
export class ProcessEvidence {
  private spawnedAt = 0;
  private timers: NodeJS.Timeout[] = [];
  private readonly refused = new Set<string>();
  private readonly logFiles = new Set<string>();
  private samples = 0;

  constructor(private readonly target: ProbeTarget) {}

  spawned(): void {
    this.cancel();
    this.spawnedAt = Date.now();
    this.refused.clear();
    this.logFiles.clear();
    this.samples = 0;
  }

  /** Its LISTEN addresses on `port` now (empty: none, or not known). */
  listening(port: number): string[] {
    const pid = this.target.pids()[0];
    return pid === undefined ? [] : listenAddresses(pid, port);
  }

  /** It accepts on `port` (or never did: `accepted` false, at the end of its boot). */
  bound(port: number, accepted: boolean): string[] {
    const addresses = this.listening(port);
    this.target.report({ kind: 'listen', value: { port, addresses, acceptMs: accepted ? Date.now() - this.spawnedAt : null } });
    return addresses;
  }

  booted(ready: boolean): void {
    this.target.report({ kind: 'boot', value: { ms: Date.now() - this.spawnedAt, ready } });
  }

  /** One sample of its open `*.log` files, now; reported (not when its pids are not known: no false pass). */
  sampleLogFiles(): string[] {
    const pids = this.target.pids();
    if (pids.length === 0) return [...this.logFiles];
    for (const path of openLogFiles(pids)) this.logFiles.add(path);
    this.samples += 1;
    this.target.report({ kind: 'log-files', value: { paths: [...this.logFiles].sort(), samples: this.samples } });
    return [...this.logFiles];
  }

  /** Samples at LOG_SAMPLES_MS after it came up (the first `taken` were taken before: the gate). */
  up(taken = 0): void {
    const base = taken === 0 ? 0 : (LOG_SAMPLES_MS[taken - 1] ?? 0);
    for (const at of LOG_SAMPLES_MS.slice(taken)) {
      const timer = setTimeout(() => this.sampleLogFiles(), at - base);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** A line of its output: a refused write it printed, or our init's word that it daemonized. */
  line(line: string): 'daemonized' | null {
    const daemonized = DAEMONIZED.exec(line);
    if (daemonized) {
      this.target.report({ kind: 'daemonized', value: { code: Number(daemonized[1]), leftovers: Number(daemonized[2]) } });
      return 'daemonized';
    }
    const path = refusedWrite(line);
    if (path !== null && !this.refused.has(path) && this.refused.size < MAX_PATHS) {
      this.refused.add(path);
      this.target.report({ kind: 'write-refused', value: { paths: [...this.refused] } });
    }
    return null;
  }

  /** A stop that began with SIGTERM at `signalledAt` ended now. */
  stopped(signalledAt: number, killed: boolean, graceMs: number): void {
    this.target.report({ kind: 'stop', value: { ms: Date.now() - signalledAt, killed, graceMs } });
  }

  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
