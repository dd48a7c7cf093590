import { createInterface } from 'node:readline';
import type { LogSink } from '../core/ports/logs.js';
import type { KubeApi } from './kube-api.js';
import { LABEL_TYPE, type KubeObject } from './kube-plan.js';
import { processesOf } from './pod-status.js';

/**
 * Follows the log of every running pod of an app (the pods' log API, follow=true) into the app's
 * stream, each line under its process name (`app[web.1]`), as the local runtime does.
 */
export class PodLogs {
  private readonly following = new Map<string, { app: string; controller: AbortController }>();

  constructor(
    private readonly api: KubeApi,
    private readonly logs: LogSink,
  ) {}

  /** Starts following the app's new running pods and stops following the gone ones. */
  sync(app: string, pods: readonly KubeObject[]): void {
    const names = new Map(processesOf(pods).map((status) => [status.id, status.name]));
    for (const pod of pods) {
      const name = pod.metadata.name;
      const running = (pod as { status?: { phase?: string } }).status?.phase === 'Running';
      if (running && !this.following.has(name)) this.follow(app, pod, names.get(name) ?? name);
    }
    for (const [name, { app: of, controller }] of this.following) {
      if (of === app && !names.has(name)) {
        controller.abort();
        this.following.delete(name);
      }
    }
  }

  stopAll(): void {
    for (const { controller } of this.following.values()) controller.abort();
    this.following.clear();
  }

  private follow(app: string, pod: KubeObject, process: string): void {
    const controller = new AbortController();
    this.following.set(pod.metadata.name, { app, controller });
    const container = pod.metadata.labels[LABEL_TYPE] ?? 'web';
    void (async () => {
      try {
        const response = await this.api.stream(this.api.logPath(pod.metadata.name, container, null), controller.signal);
        for await (const line of createInterface({ input: response, crlfDelay: Infinity })) this.logs.append({ app, source: 'app', process, message: line });
      } catch {
        // The pod went away (or the stream broke): the next sync follows it again if it still runs.
      }
      if (this.following.get(pod.metadata.name)?.controller === controller) this.following.delete(pod.metadata.name);
    })();
  }
}
