import { DozenError } from '@dozen/contracts/errors';
import type { ProcessStatus } from '../core/model.js';
import type { ObservedRuntime } from '../core/formation-plan.js';
import type { LogSink } from '../core/ports/logs.js';
import type { OneOff, OneOffRequest, RunTarget, Runtime } from '../core/ports/runtime.js';
import type { ManagedKind, KubeApi } from './kube-api.js';
import { deploymentName, LABEL_APP, LABEL_MANAGED, LABEL_RELEASE, type ClusterSettings, type KubeObject, type KubePlan } from './kube-plan.js';
import { appObjects } from './manifests.js';
import { dnsLabel } from './pod-template.js';
import { PodLogs } from './pod-logs.js';
import { processesOf } from './pod-status.js';
import { PodWatch } from './pod-watch.js';
import { awaitDeployments } from './rollout-wait.js';
import { runOnCluster, type Attacher } from './cluster-one-off.js';

/** Where a release's slug comes from: the served archive, its URL and a token for it. */
export interface SlugSourcing {
  archive(appId: string, slugId: string): Promise<{ sha256: string }>;
  tokenFor(slugId: string): string;
}

export interface KubernetesRuntimeOptions {
  api: KubeApi;
  cluster: ClusterSettings;
  slugs: SlugSourcing;
  /** The API's base URL as the cluster's pods reach it (DOZEN_KUBE_API_URL). */
  apiUrl: string;
  /** The hosts of the app's Ingress: its platform name and custom domains. */
  hostsOf(app: string, appId: string): Promise<string[]>;
  logs: LogSink;
  bootTimeoutMs: number;
  attacher: Attacher;
  pollMs?: number;
}

/** The kinds an app's objects are of, pruned by label. */
const PRUNED: ManagedKind[] = ['Deployment', 'Service', 'Ingress', 'Secret'];

/**
 * The Runtime port on a Kubernetes cluster (issue 19): each release's objects (manifests.ts)
 * applied with server-side apply, objects no longer planned pruned by label, rollouts awaited on
 * the Deployments' status, `ps` and logs from a watch of the pods, one-offs as Pods (the release
 * phase as a Job). The cluster keeps running the apps when Dozen stops.
 */
export class KubernetesRuntime implements Runtime {
  private readonly targets = new Map<string, RunTarget>();
  private readonly pods: PodWatch;
  private readonly podLogs: PodLogs;
  private readonly pollMs: number;

  constructor(private readonly options: KubernetesRuntimeOptions) {
    this.pollMs = options.pollMs ?? 1000;
    this.pods = new PodWatch(options.api, this.pollMs);
    this.podLogs = new PodLogs(options.api, options.logs);
    this.pods.onChange((app) => this.podLogs.sync(app, this.pods.podsOf(app)));
  }

  converge(app: string, target: RunTarget | null): void {
    if (target === null) {
      void this.remove(app).catch((error: unknown) => this.say(app, `could not remove the app's objects: ${(error as Error).message}`));
      return;
    }
    this.targets.set(app, target);
    void this.pods.start();
    void this.apply(target).catch((error: unknown) => this.say(app, `could not apply release v${target.release}: ${(error as Error).message}`));
  }

  async rollout(target: RunTarget, progress: (line: string) => void, abandoned?: AbortSignal): Promise<void> {
    const previous = this.targets.get(target.app);
    void this.pods.start();
    const objects = await this.apply(target);
    progress(`Applied ${objects.length} objects of v${target.release} to namespace ${this.options.cluster.namespace}`);
    const deployments = objects.filter((object) => object.kind === 'Deployment');
    try {
      await awaitDeployments(this.options.api, deployments, { timeoutMs: this.bootTimeoutOf(target), pollMs: this.pollMs, progress, ...(abandoned ? { abandoned } : {}) });
      this.targets.set(target.app, target);
    } catch (error) {
      if (previous) await this.apply(previous);
      throw new DozenError('RELEASE_BOOT_FAILED', `Release v${target.release} did not roll out: ${(error as Error).message}`);
    }
  }

  async list(app: string): Promise<ProcessStatus[]> {
    await this.pods.start();
    return processesOf(this.pods.podsOf(app));
  }

  /** Every process or one type: the Deployments' pod template annotated (a rolling restart); one process: its pod deleted. */
  async restart(app: string, selector?: string): Promise<void> {
    if (selector?.includes('.')) return this.stop(app, selector);
    const target = this.targets.get(app);
    if (!target) return;
    const types = Object.keys(target.processTypes).filter((type) => type !== 'release' && (selector === undefined || type === selector));
    const at = new Date().toISOString();
    for (const type of types) {
      const patch: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deploymentName(app, dnsLabel(type)), labels: {} }, spec: { template: { metadata: { annotations: { 'dozen.dev/restarted-at': at } } } } };
      await this.options.api.apply(patch, 'dozen-restart');
    }
  }

  async stop(app: string, process: string): Promise<void> {
    const pod = processesOf(this.pods.podsOf(app)).find((status) => status.name === process || status.id === process);
    if (pod) await this.options.api.delete('Pod', pod.id);
  }

  async observe(app: string): Promise<ObservedRuntime> {
    const processes = (await this.list(app)).map((status) => ({ id: status.id, type: status.type, index: status.index, release: status.release, generation: 0, state: status.state, restartDueAt: null }));
    return { processes, generations: {} };
  }

  async remove(app: string): Promise<void> {
    this.targets.delete(app);
    for (const kind of [...PRUNED, 'Job', 'Pod'] as ManagedKind[]) {
      for (const object of await this.options.api.list(kind, { [LABEL_APP]: app, [LABEL_MANAGED]: 'dozen' })) await this.options.api.delete(kind, object.metadata.name);
    }
  }

  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    return runOnCluster({ api: this.options.api, attacher: this.options.attacher, plan: () => this.planOf(target), pollMs: this.pollMs }, request);
  }

  async shutdown(): Promise<void> {
    this.pods.stop();
    this.podLogs.stopAll();
  }

  /** Applies the release's objects, then prunes the app's objects that are no longer planned. */
  private async apply(target: RunTarget): Promise<KubeObject[]> {
    const objects = appObjects(await this.planOf(target));
    for (const object of objects) await this.options.api.apply(object);
    await this.prune(target, objects);
    return objects;
  }

  /** Deletes the app's objects not in `objects`; Secrets of the release before stay (its pods may still start during the rollout). */
  private async prune(target: RunTarget, objects: KubeObject[]): Promise<void> {
    const keep = new Set(objects.map((object) => `${object.kind}/${object.metadata.name}`));
    for (const kind of PRUNED) {
      for (const found of await this.options.api.list(kind, { [LABEL_APP]: target.app, [LABEL_MANAGED]: 'dozen' })) {
        if (keep.has(`${kind}/${found.metadata.name}`)) continue;
        const release = Number((found.metadata.labels[LABEL_RELEASE] ?? 'v0').slice(1));
        if (kind === 'Secret' && release >= target.release - 1) continue;
        await this.options.api.delete(kind, found.metadata.name);
      }
    }
  }

  private async planOf(target: RunTarget): Promise<KubePlan> {
    const { sha256 } = await this.options.slugs.archive(target.appId, target.slugId);
    const url = `${this.options.apiUrl.replace(/\/$/, '')}/slugs/${encodeURIComponent(target.slugId)}`;
    return { target, hosts: await this.options.hostsOf(target.app, target.appId), slug: { url, token: this.options.slugs.tokenFor(target.slugId), sha256 }, cluster: this.options.cluster };
  }

  private bootTimeoutOf(target: RunTarget): number {
    const own = Object.values(target.settings ?? {}).map((settings) => (settings.bootTimeoutSeconds ?? 0) * 1000);
    return Math.max(this.options.bootTimeoutMs, ...own);
  }

  private say(app: string, message: string): void {
    this.options.logs.append({ app, source: 'dozen', process: 'kubernetes', message });
  }
}
