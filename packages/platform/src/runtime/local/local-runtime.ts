import { DozenError } from '@dozen/contracts/errors';
import { planFormation, type PlanAction } from '../../core/formation-plan.js';
import type { ProcessStatus } from '../../core/model.js';
import type { LogSink, OneOff, OneOffRequest, RouteTable, Runtime, RunTarget } from '../../core/ports.js';
import { restartDelay, type BackoffPolicy } from '../../core/restart-backoff.js';
import { freePort } from './free-port.js';
import { ManagedProcess, type ProcessEvents } from './managed-process.js';
import { startOneOff } from './one-off.js';
import { processEnv } from './process-env.js';
import { rolloutStatus, type RolloutStatus } from './rollout-status.js';

export interface LocalRuntimeOptions {
  routes: RouteTable;
  logs: LogSink;
  slugDir(appId: string, slugId: string): string;
  nodeBinDir: string;
  graceMs: number;
  bootTimeoutMs: number;
  backoff: BackoffPolicy;
  allocatePort?: () => Promise<number>;
  random?: () => number;
}

interface AppState {
  name: string;
  target: RunTarget | null;
  generations: Record<string, number>;
  processes: Map<string, ManagedProcess>;
  oneOffs: Set<OneOff>;
  reconciling: boolean;
  scheduled: boolean;
  dirty: boolean;
  timer: NodeJS.Timeout | null;
  /** Called after every change, so that rollouts and restarts can watch for their outcome. */
  watchers: Set<() => void>;
}

/**
 * Supervises app processes on this host. Desired state comes in through converge/rollout; a
 * level-triggered loop per app plans from desired and observed state and carries the plan out.
 */
export class LocalRuntime implements Runtime {
  private readonly apps = new Map<string, AppState>();
  private nextId = 1;
  private readonly allocatePort: () => Promise<number>;
  private readonly random: () => number;
  private readonly events: ProcessEvents;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.allocatePort = options.allocatePort ?? (() => freePort());
    this.random = options.random ?? Math.random;
    this.events = {
      line: (p, line) => options.logs.append({ app: p.spec.app, source: 'app', process: p.name, message: line }),
      ready: (p) => this.onReady(p),
      exit: (p, wasStopping) => this.onExit(p, wasStopping),
    };
  }

  converge(app: string, target: RunTarget | null): void {
    const state = this.stateOf(app);
    state.target = target;
    this.wake(state);
  }

  async rollout(target: RunTarget, progress: (line: string) => void): Promise<void> {
    const state = this.stateOf(target.app);
    const previous = state.target;
    state.target = target;
    this.wake(state);
    const status = await this.watch(state, progress, () => (state.target === target ? rolloutStatus(target, state.generations, state.processes.values()) : superseded()));
    if (status.kind === 'done') return;
    if (state.target === target) {
      state.target = previous;
      this.wake(state);
    }
    throw this.bootFailure(status, progress);
  }

  async restart(app: string, type?: string): Promise<void> {
    const state = this.stateOf(app);
    const target = state.target;
    if (!target) return;
    for (const t of type === undefined ? Object.keys(target.processTypes) : [type]) state.generations[t] = (state.generations[t] ?? 0) + 1;
    this.wake(state);
    const status = await this.watch(state, () => undefined, () => rolloutStatus(target, state.generations, state.processes.values()));
    if (status.kind === 'failed') throw this.bootFailure(status, () => undefined);
  }

  list(app: string): ProcessStatus[] {
    const state = this.apps.get(app);
    if (!state) return [];
    return [...state.processes.values()].sort(byName).map((p) => toStatus(p));
  }

  async remove(app: string): Promise<void> {
    const state = this.apps.get(app);
    if (!state) return;
    state.target = null;
    for (const run of state.oneOffs) run.kill('SIGKILL');
    await this.stopAll(state);
    this.options.routes.removeApp(app);
    this.apps.delete(app);
  }

  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    const state = this.stateOf(target.app);
    const slugDir = this.options.slugDir(target.appId, target.slugId);
    const name = request.name ?? `run.${1000 + Math.floor(this.random() * 9000)}`;
    const nodeBinDir = target.runtime.nodeBinDir ?? this.options.nodeBinDir;
    const env = { ...processEnv({ config: target.config, app: target.app, process: name, release: target.release, slugDir, nodeBinDir, port: null }), ...request.env };
    const run = startOneOff({ name, cwd: slugDir, env, command: request.command, timeoutMs: request.timeoutMs }, request, (line) =>
      this.options.logs.append({ app: target.app, source: 'app', process: name, message: line }),
    );
    state.oneOffs.add(run);
    void run.exit.then(({ code, signal }) => {
      state.oneOffs.delete(run);
      this.platformLine(target.app, name, `Process exited with ${code !== null ? `status ${code}` : `signal ${signal}`}`);
    });
    return run;
  }

  async shutdown(): Promise<void> {
    await Promise.all(
      [...this.apps.values()].map((state) => {
        state.target = null;
        for (const run of state.oneOffs) run.kill('SIGTERM');
        return this.stopAll(state);
      }),
    );
  }

  private stateOf(app: string): AppState {
    let state = this.apps.get(app);
    if (!state) {
      state = { name: app, target: null, generations: {}, processes: new Map(), oneOffs: new Set(), reconciling: false, scheduled: false, dirty: false, timer: null, watchers: new Set() };
      this.apps.set(app, state);
      this.options.routes.declareApp(app);
    }
    return state;
  }

  /**
   * Marks the app for a reconcile on the next turn of the event loop: events that arrive together
   * are planned together, and a rollout that just failed reverts its target before the plan sees
   * a crashed new process (which it would otherwise restart).
   */
  private wake(state: AppState): void {
    state.dirty = true;
    if (state.reconciling || state.scheduled) return;
    state.scheduled = true;
    setImmediate(() => {
      state.scheduled = false;
      if (!state.reconciling && this.apps.get(state.name) === state) void this.reconcile(state);
    });
  }

  private async reconcile(state: AppState): Promise<void> {
    state.reconciling = true;
    try {
      while (state.dirty) {
        state.dirty = false;
        const target = state.target;
        const desired = target && { release: target.release, processTypes: target.processTypes, formation: target.formation, generations: state.generations };
        const observed = [...state.processes.values()].map((p) => ({
          id: p.id,
          type: p.spec.type,
          index: p.spec.index,
          release: p.spec.release,
          generation: p.spec.generation,
          state: p.state,
          restartDueAt: p.restartDueAt,
        }));
        for (const action of planFormation(desired, observed, Date.now())) await this.execute(state, action);
      }
    } finally {
      state.reconciling = false;
    }
    this.scheduleRestarts(state);
    this.notify(state);
  }

  private async execute(state: AppState, action: PlanAction): Promise<void> {
    if (action.kind === 'start') {
      const target = state.target as RunTarget;
      const process = this.createProcess(state, target, action.type, action.index);
      state.processes.set(process.id, process);
      await this.startProcess(process);
    } else if (action.kind === 'restart') {
      const process = state.processes.get(action.id);
      if (process) await this.startProcess(process);
    } else {
      const process = state.processes.get(action.id);
      if (process) this.stopProcess(state, process, action.reason);
    }
  }

  private createProcess(state: AppState, target: RunTarget, type: string, index: number): ManagedProcess {
    const slugDir = this.options.slugDir(target.appId, target.slugId);
    const name = `${type}.${index}`;
    const spec = {
      app: state.name,
      type,
      index,
      release: target.release,
      generation: state.generations[type] ?? 0,
      command: target.processTypes[type] ?? '',
      cwd: slugDir,
      needsPort: type === 'web',
      env: (port: number | null) =>
        processEnv({ config: target.config, app: state.name, process: name, release: target.release, slugDir, nodeBinDir: target.runtime.nodeBinDir ?? this.options.nodeBinDir, port }),
    };
    return new ManagedProcess(`${state.name}:${name}:${this.nextId++}`, spec, this.events, this.options.bootTimeoutMs);
  }

  private async startProcess(process: ManagedProcess): Promise<void> {
    const port = process.spec.needsPort ? await this.allocatePort() : null;
    this.platformLine(process.spec.app, process.name, `Starting process with command \`${process.spec.command}\`${port === null ? '' : ` on PORT ${port}`} (v${process.spec.release})`);
    process.start(port);
  }

  /** Out of the router first, in-flight requests finish, then SIGTERM (and SIGKILL after the grace). */
  private stopProcess(state: AppState, process: ManagedProcess, reason: string): void {
    this.platformLine(state.name, process.name, `Stopping process (${reason}, v${process.spec.release})`);
    process.state = 'stopping';
    const drained = process.spec.needsPort ? this.options.routes.drain(state.name, process.id, this.options.graceMs) : Promise.resolve();
    void drained
      .then(() => process.stop(this.options.graceMs))
      .then(() => {
        state.processes.delete(process.id);
        this.wake(state);
      });
  }

  private async stopAll(state: AppState): Promise<void> {
    if (state.timer) clearTimeout(state.timer);
    const processes = [...state.processes.values()];
    for (const p of processes) if (p.spec.needsPort) this.options.routes.removeEndpoint(state.name, p.id);
    await Promise.all(processes.map((p) => p.stop(this.options.graceMs)));
    state.processes.clear();
    this.notify(state);
  }

  private onReady(process: ManagedProcess): void {
    const state = this.apps.get(process.spec.app);
    if (!state) return;
    if (process.spec.needsPort && process.port !== null) {
      this.options.routes.addEndpoint(state.name, { id: process.id, process: process.name, port: process.port });
    }
    this.platformLine(state.name, process.name, 'State changed from starting to up');
    this.wake(state);
  }

  private onExit(process: ManagedProcess, wasStopping: boolean): void {
    const state = this.apps.get(process.spec.app);
    if (!state) return;
    if (wasStopping) {
      this.platformLine(state.name, process.name, `Process exited with ${process.lastExit}`);
      return;
    }
    if (process.spec.needsPort) this.options.routes.removeEndpoint(state.name, process.id);
    const backoff = this.options.backoff;
    process.crashes = process.lastUpMs >= backoff.resetAfterMs ? 1 : process.crashes + 1;
    const delay = restartDelay(process.crashes, backoff, this.random);
    process.restartDueAt = Date.now() + delay;
    this.platformLine(state.name, process.name, `${process.failure}; state changed to crashed, restarting ${delay === 0 ? 'now' : `in ${Math.ceil(delay / 1000)} s`}`);
    this.notify(state);
    this.wake(state);
  }

  private scheduleRestarts(state: AppState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    const due = [...state.processes.values()].map((p) => p.restartDueAt).filter((t): t is number => t !== null && t > Date.now());
    if (due.length === 0) return;
    state.timer = setTimeout(() => this.wake(state), Math.min(...due) - Date.now());
    state.timer.unref();
  }

  private watch(state: AppState, progress: (line: string) => void, check: () => RolloutStatus): Promise<RolloutStatus> {
    const deadline = Date.now() + this.options.bootTimeoutMs + 5000;
    return new Promise((resolve) => {
      const seen = new Map<string, string>();
      const evaluate = () => {
        for (const p of state.processes.values()) {
          const key = `${p.id}:${p.state}`;
          if (seen.get(p.id) !== key && p.spec.release === state.target?.release) {
            seen.set(p.id, key);
            progress(`       ${p.name}: ${p.state}`);
          }
        }
        const status = check();
        if (status.kind === 'pending' && Date.now() < deadline) return;
        state.watchers.delete(evaluate);
        clearTimeout(timer);
        resolve(status.kind === 'pending' ? { kind: 'failed', process: null, message: 'the processes did not come up in time' } : status);
      };
      const timer = setTimeout(evaluate, deadline - Date.now() + 10);
      state.watchers.add(evaluate);
      evaluate();
    });
  }

  private bootFailure(status: RolloutStatus, progress: (line: string) => void): DozenError {
    if (status.kind !== 'failed') return new DozenError('INTERNAL', 'rollout ended without a failure');
    if (status.process === null && status.message === SUPERSEDED) return new DozenError('RELEASE_SUPERSEDED', 'A newer release replaced this one before it came up.');
    const tail = status.process?.tail ?? [];
    if (tail.length > 0) {
      progress(`       Last output of ${status.process?.name}:`);
      for (const line of tail) progress(`       | ${line}`);
    }
    return new DozenError('RELEASE_BOOT_FAILED', `${status.message}.`);
  }

  private notify(state: AppState): void {
    for (const watcher of [...state.watchers]) watcher();
  }

  private platformLine(app: string, process: string, message: string): void {
    this.options.logs.append({ app, source: 'dozen', process, message });
  }
}

const SUPERSEDED = 'superseded';
function superseded(): RolloutStatus {
  return { kind: 'failed', process: null, message: SUPERSEDED };
}

function byName(a: ManagedProcess, b: ManagedProcess): number {
  return a.spec.type.localeCompare(b.spec.type) || a.spec.index - b.spec.index || a.spec.release - b.spec.release;
}

function toStatus(p: ManagedProcess): ProcessStatus {
  return {
    id: p.id,
    name: p.name,
    type: p.spec.type,
    index: p.spec.index,
    release: p.spec.release,
    state: p.state,
    command: p.spec.command,
    pid: p.state === 'crashed' ? null : p.pid,
    port: p.port,
    startedAt: p.startedAt?.toISOString() ?? null,
    restarts: p.restarts,
    lastExit: p.lastExit,
    nextRestartAt: p.restartDueAt === null ? null : new Date(p.restartDueAt).toISOString(),
  };
}
