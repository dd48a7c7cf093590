import { createInterface } from 'node:readline';
import type { KubeApi } from './kube-api.js';
import { LABEL_APP, LABEL_MANAGED, type KubeObject } from './kube-plan.js';

type Listener = (app: string) => void;

/**
 * The pods Dozen manages in its namespace, kept by a watch (list, then watch from its
 * resourceVersion; listed again after the watch ends): `ps` and the log followers read from here.
 */
export class PodWatch {
  private readonly pods = new Map<string, KubeObject>();
  private readonly listeners: Listener[] = [];
  private readonly stopped = new AbortController();
  private synced: Promise<void> | null = null;

  constructor(
    private readonly api: KubeApi,
    private readonly retryMs = 1000,
  ) {}

  /** Starts watching; resolves once the first list is in. */
  start(): Promise<void> {
    if (!this.synced) {
      let ready!: () => void;
      this.synced = new Promise((resolve) => (ready = resolve));
      void this.loop(ready);
    }
    return this.synced;
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  podsOf(app: string): KubeObject[] {
    return [...this.pods.values()].filter((pod) => pod.metadata.labels[LABEL_APP] === app);
  }

  stop(): void {
    this.stopped.abort();
  }

  private async loop(ready: () => void): Promise<void> {
    const labels = { [LABEL_MANAGED]: 'dozen' };
    while (!this.stopped.signal.aborted) {
      try {
        const { items, resourceVersion } = await this.api.listVersioned('Pod', labels);
        this.replace(items);
        ready();
        const response = await this.api.stream(this.api.watchPath('Pod', labels, resourceVersion), this.stopped.signal);
        for await (const line of createInterface({ input: response, crlfDelay: Infinity })) this.event(line);
      } catch {
        // The API server went away or the watch expired (410): list again after a pause.
      }
      ready();
      if (!this.stopped.signal.aborted) await new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
    }
  }

  private replace(items: KubeObject[]): void {
    const apps = new Set([...this.pods.values(), ...items].map(appOf));
    this.pods.clear();
    for (const pod of items) this.pods.set(pod.metadata.name, pod);
    for (const app of apps) this.notify(app);
  }

  private event(line: string): void {
    if (line.trim() === '') return;
    const { type, object } = JSON.parse(line) as { type: string; object: KubeObject };
    if (type === 'DELETED') this.pods.delete(object.metadata.name);
    else if (type === 'ADDED' || type === 'MODIFIED') this.pods.set(object.metadata.name, { ...object, kind: 'Pod' });
    else return;
    this.notify(appOf(object));
  }

  private notify(app: string): void {
    for (const listener of this.listeners) listener(app);
  }
}

function appOf(pod: KubeObject): string {
  return pod.metadata.labels[LABEL_APP] ?? '';
}
