import { defaultStrategy } from '../core/formation-plan.js';
import { configSecretName, deployedTypes, deploymentName, LABEL_APP, LABEL_TYPE, releaseJobName, slugSecretName, type KubeObject, type KubePlan } from './kube-plan.js';
import { dnsLabel, labelsOf, podSpecOf } from './pod-template.js';

/**
 * Everything that runs one release of an app on a cluster, as a pure function of the plan:
 * the release's immutable Secrets (config; the slug's token), per process type a Deployment
 * `<app>-<type>`, and for `web` a Service and an Ingress for the app's hosts. Applied together;
 * objects of types no longer in the plan are pruned by label (kubernetes-runtime.ts).
 */
export function appObjects(plan: KubePlan): KubeObject[] {
  const objects: KubeObject[] = [configSecret(plan), slugSecret(plan)];
  for (const type of deployedTypes(plan.target)) {
    objects.push(deployment(plan, type));
    if (type === 'web') objects.push(service(plan), ingress(plan));
  }
  return objects;
}

/** The release phase: a Job that runs the Procfile's `release` command once, never retried. */
export function releaseJob(plan: KubePlan): KubeObject | null {
  const command = plan.target.processTypes.release;
  if (command === undefined) return null;
  const { app, release } = plan.target;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(plan, releaseJobName(app, release), labelsOf(plan, 'release')),
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labelsOf(plan, 'release') },
        spec: podSpecOf(plan, { type: 'release', processName: `release.${release}`, command, web: false, restartPolicy: 'Never' }),
      },
    },
  };
}

/** A one-off process (`dozen run`): a bare Pod, attached to with a TTY when asked. */
export function oneOffPod(plan: KubePlan, name: string, command: string, tty: boolean): KubeObject {
  const podName = `${plan.target.app}-${dnsLabel(name.replace('.', '-'))}`;
  const spec = podSpecOf(plan, { type: 'run', processName: name, command, web: false, restartPolicy: 'Never' });
  const [container] = spec.containers as Record<string, unknown>[];
  Object.assign(container as Record<string, unknown>, { stdin: true, stdinOnce: true, tty });
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(plan, podName, labelsOf(plan, 'run')), spec };
}

function configSecret(plan: KubePlan): KubeObject {
  const { app, release, config } = plan.target;
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(plan, configSecretName(app, release), labelsOf(plan, null)), type: 'Opaque', immutable: true, data: base64Of(config) };
}

function slugSecret(plan: KubePlan): KubeObject {
  const { app, release } = plan.target;
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(plan, slugSecretName(app, release, plan.slug.token), labelsOf(plan, null)), type: 'Opaque', immutable: true, data: base64Of({ token: plan.slug.token }) };
}

function deployment(plan: KubePlan, type: string): KubeObject {
  const { target } = plan;
  const strategy = target.settings?.[type]?.strategy ?? defaultStrategy(type);
  const labels = labelsOf(plan, type);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(plan, deploymentName(target.app, dnsLabel(type)), labels),
    spec: {
      replicas: target.formation[type] ?? 0,
      selector: { matchLabels: { [LABEL_APP]: target.app, [LABEL_TYPE]: dnsLabel(type) } },
      strategy: strategy === 'start-first' ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } : { type: 'Recreate' },
      revisionHistoryLimit: 5,
      template: {
        metadata: { labels },
        spec: podSpecOf(plan, { type, processName: type, command: target.processTypes[type] as string, web: type === 'web', restartPolicy: 'Always' }),
      },
    },
  };
}

/** Not per release: a new release leaves the Service and the Ingress as they are. */
function service(plan: KubePlan): KubeObject {
  const { app } = plan.target;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(plan, deploymentName(app, 'web'), labelsOf(plan, 'web', false)),
    spec: { type: 'ClusterIP', selector: { [LABEL_APP]: app, [LABEL_TYPE]: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

function ingress(plan: KubePlan): KubeObject {
  const { app } = plan.target;
  const backend = { service: { name: deploymentName(app, 'web'), port: { name: 'http' } } };
  const rules = [...new Set(plan.hosts)].sort().map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(plan, deploymentName(app, 'web'), labelsOf(plan, 'web', false)),
    spec: { ...(plan.cluster.ingressClass !== null ? { ingressClassName: plan.cluster.ingressClass } : {}), rules },
  };
}

function base64Of(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).sort().map((key) => [key, Buffer.from(values[key] as string, 'utf8').toString('base64')]));
}

function meta(plan: KubePlan, name: string, labels: Record<string, string>): KubeObject['metadata'] {
  return { name, namespace: plan.cluster.namespace, labels };
}
