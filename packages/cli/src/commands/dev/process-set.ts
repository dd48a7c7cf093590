import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { DevProcess } from './formation.js';
import { lineWriter, nameWidth, prefixOf } from './prefixed-output.js';

/** Procfile commands run as the platform runs them: `bash -c COMMAND` (sh without bash). */
const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

export interface ProcessSetOptions {
  cwd: string;
  env: Record<string, string>;
  graceMs: number;
  colour: boolean;
  /** Where prefixed output goes (stdout). */
  write(text: string): void;
}

interface Running {
  spec: DevProcess;
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * The processes of one start: each in its own process group; the first to exit (or a stop)
 * stops them all, as foreman does: SIGTERM to every group, SIGKILL after the grace period.
 */
export class ProcessSet {
  private readonly running: Running[] = [];
  private stopping: Promise<void> | null = null;
  /** The first process to exit on its own: its code (1 for a signal). */
  firstExit: { name: string; code: number } | null = null;
  private readonly width: number;

  constructor(private readonly plan: DevProcess[], private readonly options: ProcessSetOptions, private readonly onExit: (set: ProcessSet) => void) {
    this.width = nameWidth(plan.map((p) => p.name));
  }

  start(): void {
    this.plan.forEach((spec, index) => this.startOne(spec, index));
  }

  private startOne(spec: DevProcess, index: number): void {
    const prefix = prefixOf(spec.name, this.width, index, this.options.colour);
    const say = (line: string) => this.options.write(`${prefixOf('dozen', this.width, 99, false)}${line}\n`);
    const env = { ...this.options.env, PORT: String(spec.port), DOZEN_PROCESS: spec.name };
    const child = spawn(SHELL, ['-c', spec.command], { cwd: this.options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    say(`${spec.name} started with pid ${child.pid ?? '?'} (PORT ${spec.port}): ${spec.command}`);
    const out = lineWriter(prefix, this.options.write);
    const err = lineWriter(prefix, this.options.write);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
    const exited = new Promise<void>((resolve) => {
      child.on('error', (error) => say(`${spec.name} could not start: ${error.message}`));
      child.on('close', (code, signal) => {
        out.flush();
        err.flush();
        say(`${spec.name} exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
        if (this.stopping === null && this.firstExit === null) {
          this.firstExit = { name: spec.name, code: code ?? 1 };
          this.onExit(this);
        }
        resolve();
      });
    });
    this.running.push({ spec, child, exited });
  }

  /** SIGTERM to every process group, SIGKILL to those left after the grace period; resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /** SIGKILL to every process group now (a second Ctrl-C). */
  kill(): void {
    for (const { child } of this.running) signalGroup(child, 'SIGKILL');
  }

  private async stopAll(): Promise<void> {
    for (const { child } of this.running) signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => this.kill(), this.options.graceMs);
    await Promise.all(this.running.map((r) => r.exited));
    clearTimeout(timer);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // The whole group, even when its leader has exited: what it started may still run.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
