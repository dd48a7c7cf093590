import { defaultStrategy, planFormation, slotGeneration, type ObservedRuntime, type PlanAction } from '../../core/formation-plan.js';
import type { ProcessStatus, RolloutStrategy } from '../../core/model.js';
import type { OneOff, OneOffRequest, RunTarget } from '../../core/ports/runtime.js';
import type { AppAddress } from '../../shared-ports/app-network.js';
import { restartDelay } from '../../core/restart-backoff.js';
import { previewRollout, type PlannedAction } from '../../core/rollout-preview.js';
import { healthCheckBudgetMs } from './health-check.js';
import { ManagedProcess, SHELL } from './managed-process.js';
import { OneOffs } from './one-offs.js';
import type { ReconcilerContext } from './reconciler-context.js';
import { addonPortsOf, launchFor } from './process-launch.js';
import { byName, managedStatus } from './process-status.js';
import { rolloutStatus, type RolloutStatus } from './rollout-status.js';
import { bootFailure, SUPERSEDED, watchRollout } from './rollout-watch.js';
import { nextRestartWake } from './restart-timer.js';
import type { Evidence } from '../../core/scorecard/evidence.js';

const ABANDONED = 'the control plane that asked for it went away';

/**
 * One app's processes. Desired state (target, restart generations) comes in; every event marks
 * the app dirty and one loop plans from desired and observed state and carries the plan out.
 */
export class AppReconciler {
  target: RunTarget | null = null;
  readonly generations: Record<string, number> = {};
  readonly processes = new Map<string, ManagedProcess>();
  readonly watchers = new Set<() => void>();
  private readonly oneOffs: OneOffs;
  private reconciling = false;
  private scheduled = false;
  private dirty = false;
  /** When the last plan was made (what was due then was restarted). */
  private plannedAt = 0;
  private removed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    private readonly context: ReconcilerContext,
  ) {
    this.oneOffs = new OneOffs(name, context, (type) => this.settingsOf(type).graceMs);
  }

  converge(target: RunTarget | null): void {
    this.target = target;
    this.wake();
  }

  /** `abandoned`: the caller went away (the control plane died mid-release): taken back as a failure is. */
  async rollout(target: RunTarget, progress: (line: string) => void, abandoned?: AbortSignal): Promise<void> {
    const previous = this.target;
    this.target = target;
    this.wake();
    const notify = () => this.notify();
    abandoned?.addEventListener('abort', notify);
    const check = (): RolloutStatus => {
      if (this.target !== target) return { kind: 'failed', process: null, message: SUPERSEDED };
      if (abandoned?.aborted) return { kind: 'failed', process: null, message: ABANDONED };
      return this.statusOf(target);
    };
    const status = await this.watch(target, progress, check);
    abandoned?.removeEventListener('abort', notify);
    if (status.kind === 'done') return;
    if (this.target === target) {
      this.target = previous;
      this.wake();
    }
    throw bootFailure(status, progress);
  }

  /** A type (`web`), one process (`web.2`) or everything gets a new generation: web rolls. */
  async restart(selector: string | undefined): Promise<void> {
    const target = this.target;
    if (!target) return;
    const keys = selector === undefined ? Object.keys(target.processTypes) : [selector];
    for (const key of keys) this.generations[key] = (this.generations[key] ?? 0) + 1;
    this.wake();
    const status = await this.watch(target, () => undefined, () => this.statusOf(target));
    if (status.kind === 'failed') throw bootFailure(status, () => undefined);
  }

  async stop(name: string): Promise<void> {
    if (this.oneOffs.has(name)) return this.oneOffs.stop(name);
    const process = [...this.processes.values()].find((p) => p.name === name && p.state !== 'stopping');
    if (process) await this.stopProcess(process, 'stopped by ps:stop');
  }

  list(): ProcessStatus[] {
    const sandboxed = this.context.sandbox.kind !== 'none';
    return [...this.listManaged(), ...this.oneOffs.list(sandboxed)].sort(byName);
  }

  /** The processes of the formation (no one-offs). */
  listManaged(): ProcessStatus[] {
    const sandboxed = this.context.sandbox.kind !== 'none';
    return [...this.processes.values()].map((p) => managedStatus(p, sandboxed));
  }

  observe(): ObservedRuntime {
    return { processes: this.observed(), generations: { ...this.generations } };
  }

  preview(target: RunTarget): PlannedAction[][] {
    const desired = { release: target.release, processTypes: target.processTypes, formation: target.formation, generations: this.generations };
    return previewRollout(desired, this.observed(), (type) => strategyOf(target, type));
  }

  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    return this.oneOffs.start(target, request);
  }

  /**
   * Stops everything at once (no draining: the app is going, or the platform is). One-offs get
   * `oneOffSignal` (SIGKILL after the grace period) and are waited for too.
   */
  async stopAll(oneOffSignal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    this.target = null;
    if (this.timer) clearTimeout(this.timer);
    const processes = [...this.processes.values()];
    for (const p of processes) if (p.spec.needsPort) this.context.routes.removeEndpoint(this.name, p.id);
    await Promise.all([...processes.map((p) => p.stop(this.settingsOf(p.spec.type).graceMs)), this.oneOffs.stopAll(oneOffSignal)]);
    this.processes.clear();
    this.notify();
  }

  async remove(): Promise<void> {
    await this.stopAll('SIGKILL');
    this.removed = true;
    this.context.routes.removeApp(this.name);
    await this.context.network.remove(this.name);
  }

  private statusOf(target: RunTarget): RolloutStatus {
    return rolloutStatus(target, this.generations, this.processes.values());
  }

  private watch(target: RunTarget, progress: (line: string) => void, check: () => RolloutStatus): Promise<RolloutStatus> {
    const types = Object.keys(target.processTypes);
    const longest = Math.max(0, ...types.map((t) => this.settingsOf(t, target).bootTimeoutMs + healthCheckBudgetMs(target.runtime.healthchecks[t] ?? [])));
    const watchable = { processes: this.processes, watchers: this.watchers, currentRelease: () => this.target?.release ?? null };
    return watchRollout(watchable, progress, check, longest + 10_000);
  }

  /**
   * Marks the app for a reconcile on the next turn of the event loop: events that arrive together
   * are planned together, and a rollout that just failed reverts its target before the plan sees
   * a crashed new process (which it would otherwise restart).
   */
  private wake(): void {
    this.dirty = true;
    if (this.reconciling || this.scheduled || this.removed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.reconciling && !this.removed) void this.reconcile();
    });
  }

  private async reconcile(): Promise<void> {
    this.reconciling = true;
    try {
      while (this.dirty && !this.removed) {
        this.dirty = false;
        const target = this.target;
        const desired = target && { release: target.release, processTypes: target.processTypes, formation: target.formation, generations: this.generations };
        this.plannedAt = Date.now();
        const actions = planFormation(desired, this.observed(), this.plannedAt, (type) => strategyOf(target, type));
        for (const action of actions) await this.execute(action);
      }
    } finally {
      this.reconciling = false;
    }
    this.scheduleRestarts();
    this.notify();
  }

  private observed() {
    return [...this.processes.values()].map((p) => ({
      id: p.id,
      type: p.spec.type,
      index: p.spec.index,
      release: p.spec.release,
      generation: p.spec.generation,
      state: p.state,
      restartDueAt: p.restartDueAt,
    }));
  }

  private async execute(action: PlanAction): Promise<void> {
    if (action.kind === 'start') {
      const process = this.createProcess(this.target as RunTarget, action.type, action.index);
      this.processes.set(process.id, process);
      await this.startProcess(process);
    } else if (action.kind === 'restart') {
      const process = this.processes.get(action.id);
      if (process) await this.startProcess(process);
    } else {
      const process = this.processes.get(action.id);
      if (process) void this.stopProcess(process, action.reason);
    }
  }

  private createProcess(target: RunTarget, type: string, index: number): ManagedProcess {
    const name = `${type}.${index}`;
    const command = target.processTypes[type] ?? '';
    const spec = {
      app: this.name,
      type,
      index,
      release: target.release,
      generation: slotGeneration(this.generations, type, index),
      command,
      needsPort: type === 'web',
      healthchecks: target.runtime.healthchecks[type] ?? [],
      network: () => this.context.network.prepare(this.name, addonPortsOf(this.target ?? target)),
      launch: (port: number | null, address: AppAddress) => launchFor(this.context.launch, target, name, [SHELL, '-c', command], port, address),
      memorySampleMs: this.context.defaults.memorySampleMs,
      requiredChecks: target.requiredChecks ?? [],
    };
    const events = {
      line: (p: ManagedProcess, line: string) => this.appLine(p.name, line),
      notice: (p: ManagedProcess, line: string) => this.platformLine(p.name, line),
      ready: (p: ManagedProcess) => this.onReady(p),
      exit: (p: ManagedProcess, stopping: boolean) => this.onExit(p, stopping),
      evidence: (p: ManagedProcess, evidence: Evidence) => this.context.evidence.report({ ...evidence, appId: target.appId, app: this.name, release: p.spec.release, process: p.name, at: new Date().toISOString() }),
    };
    return new ManagedProcess(`${this.name}:${name}:${this.context.nextId()}`, spec, events, this.context.sandbox);
  }

  private async startProcess(process: ManagedProcess): Promise<void> {
    const port = process.spec.needsPort ? await this.context.allocatePort() : null;
    this.platformLine(process.name, `Starting process with command \`${process.spec.command}\`${port === null ? '' : ` on PORT ${port}`} (v${process.spec.release})`);
    await process.start(port, this.settingsOf(process.spec.type).bootTimeoutMs);
  }

  /** Out of the router first, in-flight requests finish, then SIGTERM (and SIGKILL after the grace). */
  private async stopProcess(process: ManagedProcess, reason: string): Promise<void> {
    this.platformLine(process.name, `Stopping process (${reason}, v${process.spec.release})`);
    const { graceMs } = this.settingsOf(process.spec.type);
    const drained = process.spec.needsPort ? this.context.routes.drain(this.name, process.id, graceMs) : Promise.resolve();
    await process.stop(graceMs, drained);
    this.processes.delete(process.id);
    this.wake();
  }

  private onReady(process: ManagedProcess): void {
    if (process.spec.needsPort && process.port !== null) {
      this.context.routes.addEndpoint(this.name, { id: process.id, process: process.name, host: process.host, port: process.port });
    }
    this.platformLine(process.name, 'State changed from starting to up');
    this.wake();
  }

  private onExit(process: ManagedProcess, wasStopping: boolean): void {
    if (wasStopping) {
      this.platformLine(process.name, `Process exited with ${process.lastExit}`);
      return;
    }
    if (process.spec.needsPort) this.context.routes.removeEndpoint(this.name, process.id);
    const backoff = this.context.backoff;
    process.crashes = process.lastUpMs >= backoff.resetAfterMs ? 1 : process.crashes + 1;
    const delay = restartDelay(process.crashes, backoff, this.context.random);
    process.restartDueAt = Date.now() + delay;
    const when = delay === 0 ? 'now' : `in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`}`;
    this.platformLine(process.name, `${process.failure}; state changed to crashed, restarting ${when} (crash ${process.crashes} in a row)`);
    this.notify();
    this.wake();
  }

  private scheduleRestarts(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const delay = nextRestartWake([...this.processes.values()].map((p) => p.restartDueAt), this.plannedAt, Date.now());
    if (delay === null) return;
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private settingsOf(type: string, target: RunTarget | null = this.target): { graceMs: number; bootTimeoutMs: number } {
    const own = target?.settings?.[type] ?? {};
    const { defaults } = this.context;
    return {
      graceMs: own.graceSeconds !== undefined ? own.graceSeconds * 1000 : defaults.graceMs,
      bootTimeoutMs: own.bootTimeoutSeconds !== undefined ? own.bootTimeoutSeconds * 1000 : defaults.bootTimeoutMs,
    };
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private appLine(process: string, message: string): void {
    this.context.logs.append({ app: this.name, source: 'app', process, message });
  }

  private platformLine(process: string, message: string): void {
    this.context.logs.append({ app: this.name, source: 'dozen', process, message });
  }
}

function strategyOf(target: RunTarget | null, type: string): RolloutStrategy {
  return target?.settings?.[type]?.strategy ?? defaultStrategy(type);
}
