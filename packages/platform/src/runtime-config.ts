import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';

/** DOZEN_RUNTIME: where apps run (issue 19): the local supervisor, or a Kubernetes cluster. */
export type RuntimeConfig = { kind: 'local' } | KubernetesConfig;

export interface KubernetesConfig {
  kind: 'kubernetes';
  /** KUBECONFIG (its first file), else ~/.kube/config. */
  kubeconfig: string;
  namespace: string;
  /** The base image of every pod (Node.js at /opt/dozen/node/bin unless `nodeHostPath`). */
  image: string;
  /** The API's URL as pods reach it: init containers fetch slugs from `<url>/slugs/<id>`. */
  apiUrl: string;
  ingressClass: string | null;
  webPort: number;
  nodeHostPath: string | null;
}

type Env = Record<string, string | undefined>;

/** Parses and validates DOZEN_RUNTIME and, for `kubernetes`, the DOZEN_KUBE_* variables. */
export function runtimeConfig(env: Env): RuntimeConfig {
  const kind = env.DOZEN_RUNTIME ?? 'local';
  if (kind === 'local' || kind === '') return { kind: 'local' };
  if (kind !== 'kubernetes') throw invalid('DOZEN_RUNTIME', kind, 'expected local or kubernetes');
  const kubeconfig = (env.KUBECONFIG ?? '').split(':').find((file) => file !== '') ?? join(homedir(), '.kube', 'config');
  const namespace = env.DOZEN_KUBE_NAMESPACE || 'dozen';
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(namespace)) throw invalid('DOZEN_KUBE_NAMESPACE', namespace, 'expected a Kubernetes namespace name (lowercase letters, digits, dashes)');
  const image = env.DOZEN_KUBE_IMAGE ?? '';
  if (!/^[\x21-\x7e]{1,500}$/.test(image)) throw invalid('DOZEN_KUBE_IMAGE', image, 'expected the image every pod runs, e.g. registry.example.com/dozen-base:bookworm (DOZEN_RUNTIME=kubernetes needs it)');
  const apiUrl = env.DOZEN_KUBE_API_URL ?? '';
  if (!/^https?:\/\/[\x21-\x7e]{1,2000}$/.test(apiUrl)) throw invalid('DOZEN_KUBE_API_URL', apiUrl, 'expected the http(s) URL of the Dozen API as the cluster\'s pods reach it (DOZEN_RUNTIME=kubernetes needs it)');
  const webPort = Number(env.DOZEN_KUBE_WEB_PORT || 5000);
  if (!Number.isInteger(webPort) || webPort < 1 || webPort > 65535) throw invalid('DOZEN_KUBE_WEB_PORT', env.DOZEN_KUBE_WEB_PORT ?? '', 'expected a port from 1 to 65535');
  const nodeHostPath = env.DOZEN_KUBE_NODE_PATH || null;
  if (nodeHostPath !== null && !isAbsolute(nodeHostPath)) throw invalid('DOZEN_KUBE_NODE_PATH', nodeHostPath, 'expected an absolute directory holding bin/node on every node');
  return { kind: 'kubernetes', kubeconfig, namespace, image, apiUrl, ingressClass: env.DOZEN_KUBE_INGRESS_CLASS || null, webPort, nodeHostPath };
}

function invalid(name: string, value: string, rule: string): DozenError {
  return new DozenError('PLATFORM_CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not valid: ${rule}.`);
}
