import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';

/** One request the fake API server received. */
export interface KubeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: string;
}

interface Stored {
  metadata: { name: string; labels?: Record<string, string>; generation?: number; [key: string]: unknown };
  spec?: { replicas?: number; [field: string]: unknown };
  [key: string]: unknown;
}

/**
 * A Kubernetes API server stand-in on loopback for one module's unit tests (and the Podman e2e
 * test): it records every request, keeps applied objects by collection and name, answers lists by
 * label selector, holds watches open, and reports every Deployment as rolled out at once and every
 * Job as succeeded (there is no kubelet).
 */
export class FakeKubeApi {
  readonly requests: KubeRequest[] = [];
  readonly objects = new Map<string, Stored>();
  private readonly server: Server;
  private readonly watches = new Set<ServerResponse>();
  /** Set to make Deployments never become available (a failed rollout). */
  deploymentsFail = false;

  private constructor() {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The kubeconfig that names this server (for @kubernetes/client-node's KubeConfig.loadFromString or a file). */
  kubeconfig(): string {
    return JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'fake',
      clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'fake-token' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'dozen' } }],
    });
  }

  /** Stored objects of a collection path (`/apis/apps/v1/namespaces/dozen/deployments`). */
  stored(collection: string): Stored[] {
    return [...this.objects].filter(([key]) => key.startsWith(`${collection}/`)).map(([, object]) => object);
  }

  /** The stored object at `path`, as the caller's shape of it. */
  get<T>(path: string): T | undefined {
    return this.objects.get(path) as unknown as T | undefined;
  }

  /** Puts an object in as if the cluster made it (a pod). */
  put(collection: string, object: Stored): void {
    this.objects.set(`${collection}/${object.metadata.name}`, object);
  }

  async stop(): Promise<void> {
    for (const watch of this.watches) watch.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const record: KubeRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(record);
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const isItem = this.isItemPath(url.pathname);
    if (record.method === 'PATCH' && isItem) return answer(200, this.apply(url.pathname, parse(record.body) as Stored));
    if (record.method === 'DELETE' && isItem) {
      const found = this.objects.delete(url.pathname);
      return found ? answer(200, { kind: 'Status', status: 'Success' }) : answer(404, { kind: 'Status', message: 'not found' });
    }
    if (record.method === 'GET' && url.searchParams.get('watch') === 'true') {
      this.watches.add(response);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.on('close', () => this.watches.delete(response));
      return;
    }
    if (record.method === 'GET' && url.pathname.endsWith('/log')) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('');
      return;
    }
    if (record.method === 'GET' && isItem) {
      const found = this.objects.get(url.pathname);
      return found ? answer(200, this.withStatus(found)) : answer(404, { kind: 'Status', message: `${url.pathname} not found` });
    }
    if (record.method === 'GET') return answer(200, { kind: 'List', metadata: { resourceVersion: '1' }, items: this.matching(url.pathname, url.searchParams.get('labelSelector') ?? '') });
    answer(405, { kind: 'Status', message: 'not supported by the fake' });
  }

  /** `/api/v1/namespaces/ns/secrets/name`: 6 segments; `/apis/apps/v1/namespaces/ns/deployments/name`: 7. */
  private isItemPath(path: string): boolean {
    const segments = path.split('/').filter(Boolean);
    return (segments[0] === 'api' && segments.length === 6) || (segments[0] === 'apis' && segments.length === 7);
  }

  private apply(path: string, object: Stored): Stored {
    const previous = this.objects.get(path);
    const changed = JSON.stringify(previous?.spec) !== JSON.stringify(object.spec);
    const generation = (previous?.metadata.generation ?? 0) + (changed || !previous ? 1 : 0);
    const stored = { ...object, metadata: { ...object.metadata, generation, creationTimestamp: new Date().toISOString() } };
    this.objects.set(path, stored);
    return stored;
  }

  private withStatus(object: Stored): Stored {
    if (object.kind === 'Deployment' && !this.deploymentsFail) {
      const replicas = object.spec?.replicas ?? 0;
      return { ...object, status: { observedGeneration: object.metadata.generation, replicas, updatedReplicas: replicas, availableReplicas: replicas, readyReplicas: replicas } };
    }
    if (object.kind === 'Deployment') return { ...object, status: { observedGeneration: object.metadata.generation, replicas: 1, updatedReplicas: 0, availableReplicas: 0 } };
    return object;
  }

  private matching(collection: string, selector: string): Stored[] {
    const wanted = selector === '' ? [] : selector.split(',').map((term) => term.split('=') as [string, string]);
    return this.stored(collection).filter((object) => wanted.every(([key, value]) => object.metadata.labels?.[key] === value)).map((object) => this.withStatus(object));
  }
}
