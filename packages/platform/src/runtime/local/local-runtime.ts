import type { ProcessStatus } from '../../core/model.js';
import type { LogSink } from '../../core/ports/logs.js';
import type { OneOff, OneOffRequest, Runtime, RunTarget } from '../../core/ports/runtime.js';
import type { RouteTable } from '../../shared-ports/route-table.js';
import type { Sandbox } from '../../shared-ports/sandbox.js';
import type { AppNetwork } from '../../shared-ports/app-network.js';
import type { BackoffPolicy } from '../../core/restart-backoff.js';
import type { SizeTable } from '../../core/process-sizes.js';
import type { PlannedAction } from '../../core/rollout-preview.js';
import type { ObservedRuntime } from '../../core/formation-plan.js';
import { AppReconciler } from './app-reconciler.js';
import type { ReconcilerContext } from './reconciler-context.js';
import { freePort } from '../../net/free-port.js';
import type { EvidenceSink } from '../../core/scorecard/evidence.js';

export interface LocalRuntimeOptions {
  routes: RouteTable;
  logs: LogSink;
  sandbox: Sandbox;
  /** Each app's network (or the host's): removed with the app, and all of them at shutdown. */
  network: AppNetwork;
  slugDir(appId: string, slugId: string): string;
  nodeBinDir: string;
  graceMs: number;
  bootTimeoutMs: number;
  /** Process sizes, and how often memory is sampled against their quotas. */
  sizes: SizeTable;
  memorySampleMs: number;
  backoff: BackoffPolicy;
  allocatePort?: () => Promise<number>;
  random?: () => number;
  /** Where the scorecard's runtime evidence goes (default: nowhere). */
  evidence?: EvidenceSink;
}

/**
 * Supervises app processes on this host, each in its own sandbox. Desired state comes in through
 * converge/rollout; one reconcile loop per app carries it out.
 */
export class LocalRuntime implements Runtime {
  private readonly apps = new Map<string, AppReconciler>();
  private readonly context: ReconcilerContext;
  private nextId = 1;

  constructor(options: LocalRuntimeOptions) {
    this.context = {
      routes: options.routes,
      logs: options.logs,
      sandbox: options.sandbox,
      network: options.network,
      launch: { sandbox: options.sandbox, slugDir: options.slugDir, nodeBinDir: options.nodeBinDir, sizes: options.sizes },
      defaults: { graceMs: options.graceMs, bootTimeoutMs: options.bootTimeoutMs, memorySampleMs: options.memorySampleMs },
      backoff: options.backoff,
      allocatePort: options.allocatePort ?? (() => freePort()),
      random: options.random ?? Math.random,
      nextId: () => this.nextId++,
      evidence: options.evidence ?? { report: () => undefined },
    };
  }

  converge(app: string, target: RunTarget | null): void {
    this.appOf(app).converge(target);
  }

  rollout(target: RunTarget, progress: (line: string) => void, abandoned?: AbortSignal): Promise<void> {
    return this.appOf(target.app).rollout(target, progress, abandoned);
  }

  async restart(app: string, selector?: string): Promise<void> {
    await this.apps.get(app)?.restart(selector);
  }

  async stop(app: string, process: string): Promise<void> {
    await this.apps.get(app)?.stop(process);
  }

  async list(app: string): Promise<ProcessStatus[]> {
    return this.listNow(app);
  }

  /** What `list` answers, at once (this runtime is in this process). */
  listNow(app: string): ProcessStatus[] {
    return this.apps.get(app)?.list() ?? [];
  }

  /** The apps it runs processes of (or ran, until `remove`). */
  appNames(): string[] {
    return [...this.apps.keys()];
  }

  /** The processes of `app`'s formation, one-offs left out (the metrics series). */
  formation(app: string): ProcessStatus[] {
    return this.apps.get(app)?.listManaged() ?? [];
  }

  async observe(app: string): Promise<ObservedRuntime> {
    return this.apps.get(app)?.observe() ?? { processes: [], generations: {} };
  }

  /** What converging to `target` would do, step by step, without doing it. */
  preview(target: RunTarget): PlannedAction[][] {
    return this.appOf(target.app).preview(target);
  }

  async remove(app: string): Promise<void> {
    const reconciler = this.apps.get(app);
    if (!reconciler) return;
    this.apps.delete(app);
    await reconciler.remove();
  }

  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    return this.appOf(target.app).runOneOff(target, request);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stopAll('SIGTERM')));
    await this.context.network.close();
  }

  private appOf(app: string): AppReconciler {
    let reconciler = this.apps.get(app);
    if (!reconciler) {
      reconciler = new AppReconciler(app, this.context);
      this.apps.set(app, reconciler);
      this.context.routes.declareApp(app);
    }
    return reconciler;
  }
}
