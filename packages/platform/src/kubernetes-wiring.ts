import type { Writable, Readable } from 'node:stream';
import { Attach, KubeConfig } from '@kubernetes/client-node';
import type { LogSink } from './core/ports/logs.js';
import type { Runtime } from './core/ports/runtime.js';
import type { SizeTable } from './core/process-sizes.js';
import type { DomainsStore } from './core/ports/domains-store.js';
import { KubeApi } from './kubernetes/kube-api.js';
import { KubernetesRuntime } from './kubernetes/kubernetes-runtime.js';
import type { Attacher } from './kubernetes/cluster-one-off.js';
import type { SlugArchives } from './kubernetes/slug-archives.js';
import type { KubernetesConfig } from './runtime-config.js';

export interface KubernetesWiring {
  config: KubernetesConfig;
  slugs: SlugArchives;
  domains: DomainsStore;
  /** The platform's apps domain: `<app>.<domain>` is every app's own host. */
  domain: string;
  logs: LogSink;
  graceMs: number;
  bootTimeoutMs: number;
  sizes: SizeTable;
}

/** DOZEN_RUNTIME=kubernetes: the runtime on the cluster of the kubeconfig (issue 19). */
export function kubernetesRuntime(wiring: KubernetesWiring): Runtime {
  const { config } = wiring;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(config.kubeconfig);
  return new KubernetesRuntime({
    api: new KubeApi(kubeConfig, config.namespace),
    cluster: {
      namespace: config.namespace,
      image: config.image,
      webPort: config.webPort,
      graceSeconds: Math.ceil(wiring.graceMs / 1000),
      sizes: wiring.sizes,
      ingressClass: config.ingressClass,
      nodeHostPath: config.nodeHostPath,
      hostNetwork: false,
    },
    slugs: wiring.slugs,
    apiUrl: config.apiUrl,
    hostsOf: async (app, appId) => [`${app}.${wiring.domain}`, ...(await wiring.domains.listDomains(appId)).map((domain) => domain.hostname)],
    logs: wiring.logs,
    bootTimeoutMs: wiring.bootTimeoutMs,
    attacher: attacherOf(kubeConfig),
  });
}

/** The attach API through @kubernetes/client-node (a WebSocket, TTY included). */
function attacherOf(kubeConfig: KubeConfig): Attacher {
  const attach = new Attach(kubeConfig);
  return {
    async attach(namespace: string, pod: string, container: string, io: { stdout: Writable; stderr: Writable; stdin: Readable; tty: boolean }) {
      const socket = await attach.attach(namespace, pod, container, io.stdout, io.stderr, io.stdin, io.tty);
      return { close: () => socket.close() };
    },
  };
}
