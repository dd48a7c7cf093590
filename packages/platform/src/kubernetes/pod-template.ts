import { DEFAULT_SIZE, findSize, HARD_LIMIT_FACTOR, type ProcessSize } from '../core/process-sizes.js';
import type { HealthCheck } from '../core/model.js';
import { configSecretName, LABEL_APP, LABEL_MANAGED, LABEL_RELEASE, LABEL_TYPE, slugSecretName, type KubePlan } from './kube-plan.js';
import { SLUG_FETCH_SCRIPT } from './slug-fetch-script.js';

/** Where the slug is unpacked (Heroku's /app) and where Node.js is found, as in the local runtime. */
export const APP_DIR = '/app';
export const NODE_DIR = '/opt/dozen/node';
const SHELL = '/bin/bash';

/** The labels of one process type's objects of a release. */
export function labelsOf(plan: KubePlan, type: string | null, release = true): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_MANAGED]: 'dozen', [LABEL_APP]: plan.target.app };
  if (type !== null) labels[LABEL_TYPE] = dnsLabel(type);
  if (release) labels[LABEL_RELEASE] = `v${plan.target.release}`;
  return labels;
}

/** A process type as a DNS label (Kubernetes names): lower case, `_` as `-`. */
export function dnsLabel(type: string): string {
  return type.toLowerCase().replaceAll('_', '-');
}

export interface PodOptions {
  /** `web`, `worker`, `release`, `run`: the type whose settings (size, grace) apply. */
  type: string;
  /** The value of DOZEN_PROCESS (Deployment pods have no ordinal: the type; a Job `release.<N>`). */
  processName: string;
  command: string;
  /** Listens on PORT (web): gets the port and a readiness probe. */
  web: boolean;
  restartPolicy: 'Always' | 'Never';
}

/**
 * The pod of one process: an init container fetches the slug (digest checked) into an emptyDir
 * at /app, the app's container runs its command there as the app's user with exactly the
 * environment of the local runtime (process-env.ts): PATH, HOME, LANG, the config vars from the
 * release's Secret, then DOZEN_APP, DOZEN_PROCESS, DOZEN_RELEASE and PORT.
 */
export function podSpecOf(plan: KubePlan, options: PodOptions): Record<string, unknown> {
  const { target, cluster } = plan;
  const settings = target.settings?.[options.type] ?? {};
  const size = sizeOf(plan, settings.size);
  const volumes: Record<string, unknown>[] = [
    { name: 'app', emptyDir: {} },
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: `${size.tmpMb}Mi` } },
  ];
  const mounts: Record<string, unknown>[] = [{ name: 'app', mountPath: APP_DIR }, { name: 'tmp', mountPath: '/tmp' }];
  if (cluster.nodeHostPath !== null) {
    volumes.push({ name: 'node', hostPath: { path: cluster.nodeHostPath, type: 'Directory' } });
    mounts.push({ name: 'node', mountPath: NODE_DIR, readOnly: true });
  }
  const container: Record<string, unknown> = {
    name: dnsLabel(options.type),
    image: cluster.image,
    command: [SHELL, '-c', options.command],
    workingDir: APP_DIR,
    env: appEnv(plan, options),
    resources: resourcesOf(size),
    volumeMounts: mounts,
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
  };
  if (options.web) {
    container.ports = [{ name: 'http', containerPort: cluster.webPort, protocol: 'TCP' }];
    container.readinessProbe = readinessOf(cluster.webPort, target.runtime.healthchecks[options.type]?.[0]);
  }
  return {
    restartPolicy: options.restartPolicy,
    terminationGracePeriodSeconds: settings.graceSeconds ?? cluster.graceSeconds,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...(cluster.hostNetwork ? { hostNetwork: true } : {}),
    securityContext: { runAsUser: target.user.uid, runAsGroup: target.user.gid, fsGroup: target.user.gid },
    initContainers: [slugFetcher(plan, mounts)],
    containers: [container],
    volumes,
  };
}

/** The init container: Node.js fetches the slug with its scoped token, checks its sha256, unpacks it. */
function slugFetcher(plan: KubePlan, mounts: Record<string, unknown>[]): Record<string, unknown> {
  const secret = slugSecretName(plan.target.app, plan.target.release, plan.slug.token);
  return {
    name: 'slug',
    image: plan.cluster.image,
    command: [`${NODE_DIR}/bin/node`, '-e', SLUG_FETCH_SCRIPT],
    env: [
      { name: 'DOZEN_SLUG_URL', value: plan.slug.url },
      { name: 'DOZEN_SLUG_SHA256', value: plan.slug.sha256 },
      { name: 'DOZEN_SLUG_TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } },
      { name: 'DOZEN_SLUG_DIR', value: APP_DIR },
    ],
    resources: { limits: { memory: '256Mi' }, requests: { memory: '64Mi', cpu: '100m' } },
    volumeMounts: mounts.filter((mount) => mount.name !== 'tmp'),
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
  };
}

/** processEnv() of the local runtime, as Kubernetes env entries: later entries win, as there. */
function appEnv(plan: KubePlan, options: PodOptions): Record<string, unknown>[] {
  const { target } = plan;
  const secret = configSecretName(target.app, target.release);
  const base: Record<string, string> = {
    PATH: `${APP_DIR}/node_modules/.bin:${NODE_DIR}/bin:/usr/local/bin:/usr/bin:/bin`,
    HOME: APP_DIR,
    LANG: 'C.UTF-8',
  };
  const env: Record<string, unknown>[] = Object.entries(base).filter(([key]) => !Object.hasOwn(target.config, key)).map(([name, value]) => ({ name, value }));
  for (const key of Object.keys(target.config).sort()) env.push({ name: key, valueFrom: { secretKeyRef: { name: secret, key } } });
  env.push({ name: 'DOZEN_APP', value: target.app }, { name: 'DOZEN_PROCESS', value: options.processName }, { name: 'DOZEN_RELEASE', value: `v${target.release}` });
  if (options.web) env.push({ name: 'PORT', value: String(plan.cluster.webPort) });
  return env;
}

/** Ready when PORT answers: the app's startup health check's path if it has one, else a TCP connect. */
function readinessOf(port: number, check: HealthCheck | undefined): Record<string, unknown> {
  if (!check) return { tcpSocket: { port }, periodSeconds: 2, failureThreshold: 3 };
  return {
    httpGet: { path: check.path, port },
    initialDelaySeconds: check.initialDelaySeconds,
    periodSeconds: Math.max(1, check.waitSeconds),
    timeoutSeconds: Math.max(1, check.timeoutSeconds),
    failureThreshold: Math.max(1, check.attempts),
  };
}

/** The size's quota as the memory request, its hard limit (twice: R15) as the limit; CPU weight as a request. */
function resourcesOf(size: ProcessSize): Record<string, unknown> {
  return {
    requests: { memory: `${size.memoryMb}Mi`, cpu: `${size.cpuWeight * 5}m` },
    limits: { memory: `${size.memoryMb * HARD_LIMIT_FACTOR}Mi` },
  };
}

function sizeOf(plan: KubePlan, name: string | undefined): ProcessSize {
  const table = plan.cluster.sizes;
  return findSize(table, name ?? DEFAULT_SIZE) ?? findSize(table, DEFAULT_SIZE) ?? (table[0] as ProcessSize);
}
