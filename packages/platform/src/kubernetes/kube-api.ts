import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { DozenError } from '@dozen/contracts/errors';
import { FIELD_MANAGER, type KubeObject } from './kube-plan.js';

/** The kinds Dozen manages, and where their collections are in a namespace. */
const COLLECTIONS: Record<string, string> = {
  Secret: '/api/v1/namespaces/{ns}/secrets',
  Service: '/api/v1/namespaces/{ns}/services',
  Pod: '/api/v1/namespaces/{ns}/pods',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  Job: '/apis/batch/v1/namespaces/{ns}/jobs',
  Ingress: '/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses',
};

export type ManagedKind = 'Secret' | 'Service' | 'Pod' | 'Deployment' | 'Job' | 'Ingress';

/**
 * The few calls of the Kubernetes API Dozen makes, over the cluster and credentials of a
 * `@kubernetes/client-node` KubeConfig: server-side apply (field manager `dozen`, forced), list by
 * label, get, delete, and a raw GET (pod logs).
 */
export class KubeApi {
  constructor(
    private readonly config: KubeConfig,
    readonly namespace: string,
  ) {}

  /**
   * Server-side apply: PATCH application/apply-patch+yaml ?fieldManager=dozen&force=true. The body
   * is JSON (YAML's subset), as kubectl sends it: no YAML emitter's block scalars to misread.
   */
  async apply(object: KubeObject, fieldManager = FIELD_MANAGER): Promise<KubeObject> {
    const path = `${this.collection(object.kind)}/${encodeURIComponent(object.metadata.name)}?fieldManager=${fieldManager}&force=true`;
    const answer = await this.call('PATCH', path, JSON.stringify(object), 'application/apply-patch+yaml');
    return answer as KubeObject;
  }

  async list(kind: ManagedKind, labels: Record<string, string>): Promise<KubeObject[]> {
    return (await this.listVersioned(kind, labels)).items;
  }

  /** The list and its resourceVersion (a watch goes on from there). */
  async listVersioned(kind: ManagedKind, labels: Record<string, string>): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const answer = (await this.call('GET', `${this.collection(kind)}?labelSelector=${selectorOf(labels)}`)) as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
    return { items: (answer.items ?? []).map((item) => ({ ...item, kind })), resourceVersion: answer.metadata?.resourceVersion ?? '' };
  }

  watchPath(kind: ManagedKind, labels: Record<string, string>, resourceVersion: string): string {
    return `${this.collection(kind)}?labelSelector=${selectorOf(labels)}&watch=true&allowWatchBookmarks=false&resourceVersion=${encodeURIComponent(resourceVersion)}`;
  }

  /** The object, or null when it does not exist. */
  async get(kind: ManagedKind, name: string): Promise<KubeObject | null> {
    try {
      return (await this.call('GET', `${this.collection(kind)}/${encodeURIComponent(name)}`)) as KubeObject;
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) return null;
      throw error;
    }
  }

  /** Deletes it (and, in the background, what it owns); gone already is fine. */
  async delete(kind: ManagedKind, name: string): Promise<void> {
    try {
      await this.call('DELETE', `${this.collection(kind)}/${encodeURIComponent(name)}?propagationPolicy=Background`);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.statusCode === 404)) throw error;
    }
  }

  /** A streamed GET (a pod's log with follow=true): the response, its body unread. */
  async stream(path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const response = await this.send('GET', path, null, null, signal);
    if ((response.statusCode ?? 0) >= 300) throw await failure('GET', path, response);
    return response;
  }

  logPath(pod: string, container: string, sinceSeconds: number | null): string {
    const since = sinceSeconds === null ? '' : `&sinceSeconds=${sinceSeconds}`;
    return `${this.collection('Pod')}/${encodeURIComponent(pod)}/log?container=${encodeURIComponent(container)}&follow=true${since}`;
  }

  private collection(kind: string): string {
    const template = COLLECTIONS[kind];
    if (!template) throw new Error(`Dozen does not manage Kubernetes ${kind} objects.`);
    return template.replace('{ns}', encodeURIComponent(this.namespace));
  }

  private async call(method: string, path: string, body: string | null = null, contentType: string | null = null): Promise<unknown> {
    const response = await this.send(method, path, body, contentType);
    if ((response.statusCode ?? 0) >= 300) throw await failure(method, path, response);
    const text = await readAll(response);
    return text === '' ? {} : JSON.parse(text);
  }

  private async send(method: string, path: string, body: string | null, contentType: string | null, signal?: AbortSignal): Promise<IncomingMessage> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new DozenError('KUBERNETES_API_FAILED', 'The kubeconfig names no current cluster.');
    const url = new URL(path, cluster.server);
    const options: HttpsRequestOptions = { method, headers: { accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(options);
    const headers = { ...(options.headers as Record<string, string>), ...(contentType ? { 'content-type': contentType } : {}) };
    // A plain-http server (a local proxy, a test's): the TLS agent the kubeconfig made does not apply.
    if (url.protocol === 'http:') delete options.agent;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(url, { ...options, headers, ...(signal ? { signal } : {}) }, resolve);
      request.once('error', (error) => reject(new DozenError('KUBERNETES_API_FAILED', `${method} ${url.origin}${url.pathname} failed: ${error.message}`, { cause: error })));
      request.end(body ?? undefined);
    });
  }
}

/** An answer of the API server other than 2xx. */
export class KubeApiError extends DozenError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super('KUBERNETES_API_FAILED', message);
  }
}

async function failure(method: string, path: string, response: IncomingMessage): Promise<KubeApiError> {
  const text = await readAll(response);
  let reason = text.slice(0, 300);
  try {
    reason = (JSON.parse(text) as { message?: string }).message ?? reason;
  } catch {
    // not JSON: the text itself
  }
  return new KubeApiError(response.statusCode ?? 0, `${method} ${path.split('?')[0] ?? path} answered HTTP ${response.statusCode ?? 0}: ${reason}`);
}

function selectorOf(labels: Record<string, string>): string {
  return encodeURIComponent(Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(','));
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
