import { describe, expect, it } from 'vitest';
import { Secret, Service, Pod } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { SIZES } from '../core/process-sizes.js';
import type { RunTarget } from '../core/ports/runtime.js';
import type { KubeObject, KubePlan } from './kube-plan.js';
import { appObjects, oneOffPod, releaseJob } from './manifests.js';
import { slugSecretName } from './kube-plan.js';

/** The slug Secret's name for the sample's token of `slugId`. */
const slugSecret = (release: number, slugId = 'slug-a') => slugSecretName('shop', release, `dzslug_${slugId}_mac`);

/** Generated objects read back field by field in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const MODELS: Record<string, new (data: never) => { validate(): void }> = { Secret, Service, Pod, Deployment, Job, Ingress };

/** Validates against the official OpenAPI schemas (kubernetes-models): throws on the first violation. */
function validate(object: KubeObject): void {
  const Model = MODELS[object.kind];
  if (!Model) throw new Error(`no schema for ${object.kind}`);
  new Model(structuredClone(object) as never).validate();
}

function target(overrides: Partial<RunTarget> = {}): RunTarget {
  return {
    app: 'shop',
    appId: 'app-1',
    release: 7,
    slugId: 'slug-a',
    config: { DATABASE_URL: 'postgres://db/shop', LANG: 'de_DE.UTF-8' },
    processTypes: { web: 'node server.js', worker: 'node worker.js', release: 'node migrate.js' },
    formation: { web: 2, worker: 1 },
    runtime: { nodeBinDir: null, healthchecks: { web: [{ type: 'startup', name: 'up', path: '/up', attempts: 3, timeoutSeconds: 2, waitSeconds: 1, initialDelaySeconds: 0 }] } },
    user: { uid: 20001, gid: 20001 },
    settings: { worker: { graceSeconds: 10, strategy: 'stop-first', size: 'standard-2x' } },
    ...overrides,
  };
}

function plan(overrides: Partial<RunTarget> = {}, slug = 'a'.repeat(64)): KubePlan {
  return {
    target: target(overrides),
    hosts: ['shop.dozen.example', 'www.shop.example'],
    slug: { url: `https://dozen.example/slugs/${overrides.slugId ?? 'slug-a'}`, token: `dzslug_${overrides.slugId ?? 'slug-a'}_mac`, sha256: slug },
    cluster: { namespace: 'apps', image: 'registry.example/dozen-base:bookworm', webPort: 5000, graceSeconds: 30, sizes: SIZES, ingressClass: 'nginx', nodeHostPath: null, hostNetwork: false },
  };
}

const byKey = (objects: KubeObject[]) => new Map(objects.map((object) => [`${object.kind}/${object.metadata.name}`, object]));
const find = (objects: KubeObject[], key: string) => byKey(objects).get(key) as Loose;

/** The objects whose content differs between two plans' object sets, by kind/name (added, removed or changed). */
function changed(before: KubeObject[], after: KubeObject[]): string[] {
  const a = byKey(before);
  const b = byKey(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key))).sort();
}

describe('Kubernetes manifests of a release', () => {
  it('are valid against the Kubernetes schemas: Secrets, Deployments, Service, Ingress, the release Job and a one-off Pod', () => {
    const objects = [...appObjects(plan()), releaseJob(plan()) as KubeObject, oneOffPod(plan(), 'run.1234', 'bash', true)];
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'Secret/shop-v7-config', `Secret/${slugSecret(7)}`, 'Deployment/shop-web', 'Service/shop-web', 'Ingress/shop-web', 'Deployment/shop-worker', 'Job/shop-release-v7', 'Pod/shop-run-1234',
    ]);
    for (const object of objects) expect(() => validate(object), `${object.kind}/${object.metadata.name}`).not.toThrow();
  });

  it('the validation refuses an object the schemas forbid (the check has teeth)', () => {
    const deployment = structuredClone(find(appObjects(plan()), 'Deployment/shop-web')) as KubeObject & { spec: { replicas: unknown } };
    deployment.spec.replicas = 'two';
    expect(() => validate(deployment)).toThrow(/replicas/);
    const pod = oneOffPod(plan(), 'run.1', 'bash', false) as KubeObject & { spec: { containers: unknown } };
    delete (pod.spec as Record<string, unknown>).containers;
    expect(() => validate(pod)).toThrow(/containers/);
  });

  it('labels every object with the app, its type and (release objects) the release; the Deployments own their pods by app and type', () => {
    for (const object of appObjects(plan())) {
      expect(object.metadata.labels['dozen.dev/app']).toBe('shop');
      expect(object.metadata.namespace).toBe('apps');
      if (object.kind !== 'Secret') expect(object.metadata.labels['dozen.dev/type']).toMatch(/^(web|worker)$/);
      if (object.kind === 'Secret' || object.kind === 'Deployment') expect(object.metadata.labels['dozen.dev/release']).toBe('v7');
    }
    const web = find(appObjects(plan()), 'Deployment/shop-web');
    expect(web.spec.selector).toEqual({ matchLabels: { 'dozen.dev/app': 'shop', 'dozen.dev/type': 'web' } });
    expect(web.spec.template.metadata.labels).toMatchObject({ 'dozen.dev/app': 'shop', 'dozen.dev/type': 'web', 'dozen.dev/release': 'v7' });
  });

  it('runs the plan as the local runtime does: replicas, strategy, grace, sizes, the environment, readiness on PORT', () => {
    const objects = appObjects(plan());
    const web = find(objects, 'Deployment/shop-web');
    const worker = find(objects, 'Deployment/shop-worker');
    expect(web.spec.replicas).toBe(2);
    expect(worker.spec.replicas).toBe(1);
    expect(web.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(worker.spec.strategy).toEqual({ type: 'Recreate' });
    expect(web.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBe(10);
    const container = web.spec.template.spec.containers[0];
    expect(container.command).toEqual(['/bin/bash', '-c', 'node server.js']);
    expect(container.resources).toEqual({ requests: { memory: '512Mi', cpu: '500m' }, limits: { memory: '1024Mi' } });
    expect(worker.spec.template.spec.containers[0].resources.limits).toEqual({ memory: '2048Mi' });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/up', port: 5000 }, failureThreshold: 3 });
    expect(worker.spec.template.spec.containers[0].readinessProbe).toBeUndefined();
    // LANG is the app's own (config wins over the base); PORT and DOZEN_* last (the platform's).
    expect(container.env).toEqual([
      { name: 'PATH', value: '/app/node_modules/.bin:/opt/dozen/node/bin:/usr/local/bin:/usr/bin:/bin' },
      { name: 'HOME', value: '/app' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-v7-config', key: 'DATABASE_URL' } } },
      { name: 'LANG', valueFrom: { secretKeyRef: { name: 'shop-v7-config', key: 'LANG' } } },
      { name: 'DOZEN_APP', value: 'shop' },
      { name: 'DOZEN_PROCESS', value: 'web' },
      { name: 'DOZEN_RELEASE', value: 'v7' },
      { name: 'PORT', value: '5000' },
    ]);
    expect(web.spec.template.spec.securityContext).toEqual({ runAsUser: 20001, runAsGroup: 20001, fsGroup: 20001 });
  });

  it('fetches the slug in an init container with its scoped token from the slug Secret and checks its digest', () => {
    const objects = appObjects(plan());
    const init = find(objects, 'Deployment/shop-web').spec.template.spec.initContainers[0];
    expect(init.env).toEqual([
      { name: 'DOZEN_SLUG_URL', value: 'https://dozen.example/slugs/slug-a' },
      { name: 'DOZEN_SLUG_SHA256', value: 'a'.repeat(64) },
      { name: 'DOZEN_SLUG_TOKEN', valueFrom: { secretKeyRef: { name: slugSecret(7), key: 'token' } } },
      { name: 'DOZEN_SLUG_DIR', value: '/app' },
    ]);
    expect(init.command[2]).toContain('DOZEN_SLUG_SHA256');
    expect(slugSecret(7)).toMatch(/^shop-v7-slug-[0-9a-f]{8}$/);
    expect(find(objects, `Secret/${slugSecret(7)}`).data).toEqual({ token: Buffer.from('dzslug_slug-a_mac').toString('base64') });
    expect(find(objects, 'Secret/shop-v7-config')).toMatchObject({ immutable: true, data: { DATABASE_URL: Buffer.from('postgres://db/shop').toString('base64') } });
  });

  it('routes the app\'s hosts to the web Service through the Ingress', () => {
    const ingress = find(appObjects(plan()), 'Ingress/shop-web');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules.map((rule: { host: string }) => rule.host)).toEqual(['shop.dozen.example', 'www.shop.example']);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'shop-web', port: { name: 'http' } } });
    expect(find(appObjects(plan()), 'Service/shop-web').spec.selector).toEqual({ 'dozen.dev/app': 'shop', 'dozen.dev/type': 'web' });
  });

  it('the release phase is a Job run once with the release command, and no Deployment', () => {
    const job = releaseJob(plan()) as Loose;
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].command).toEqual(['/bin/bash', '-c', 'node migrate.js']);
    expect(appObjects(plan()).some((object) => object.metadata.name === 'shop-release')).toBe(false);
    expect(releaseJob(plan({ processTypes: { web: 'node server.js' } }))).toBeNull();
  });
});

describe('what a change of the plan changes (diff)', () => {
  const before = appObjects(plan());

  it('a formation change: only that Deployment, only its replicas', () => {
    const after = appObjects(plan({ formation: { web: 5, worker: 1 } }));
    expect(changed(before, after)).toEqual(['Deployment/shop-web']);
    const { spec: a, ...restA } = find(before, 'Deployment/shop-web');
    const { spec: b, ...restB } = find(after, 'Deployment/shop-web');
    expect(restB).toEqual(restA);
    expect({ ...b, replicas: a.replicas }).toEqual(a);
    expect(b.replicas).toBe(5);
  });

  it('a config change (a new release of the same slug): a new config Secret and the Deployments\' pod templates referring to it; Service and Ingress untouched', () => {
    const after = appObjects(plan({ release: 8, config: { DATABASE_URL: 'postgres://db/other', LANG: 'de_DE.UTF-8' } }));
    expect(changed(before, after)).toEqual([
      'Deployment/shop-web', 'Deployment/shop-worker', 'Secret/shop-v7-config', `Secret/${slugSecret(7)}`, 'Secret/shop-v8-config', `Secret/${slugSecret(8)}`,
    ]);
    const env = find(after, 'Deployment/shop-web').spec.template.spec.containers[0].env;
    expect(env.find((entry: { name: string }) => entry.name === 'DATABASE_URL').valueFrom.secretKeyRef.name).toBe('shop-v8-config');
    // Same slug: the init container fetches the same bytes.
    expect(find(after, 'Deployment/shop-web').spec.template.spec.initContainers[0].env[1]).toEqual(find(before, 'Deployment/shop-web').spec.template.spec.initContainers[0].env[1]);
  });

  it('a new release of new code: the release Job and the Deployments (with the new slug\'s digest); Service and Ingress untouched', () => {
    const next = plan({ release: 8, slugId: 'slug-b' }, 'b'.repeat(64));
    const after = appObjects(next);
    expect(changed(before, after).filter((key) => !key.startsWith('Secret/'))).toEqual(['Deployment/shop-web', 'Deployment/shop-worker']);
    expect(releaseJob(next)?.metadata.name).toBe('shop-release-v8');
    expect(JSON.stringify(releaseJob(next))).not.toEqual(JSON.stringify(releaseJob(plan())));
    expect(find(after, 'Deployment/shop-web').spec.template.spec.initContainers[0].env[1]).toEqual({ name: 'DOZEN_SLUG_SHA256', value: 'b'.repeat(64) });
  });

  it('a removed process type: its Deployment is no longer planned (the runtime prunes it)', () => {
    const after = appObjects(plan({ processTypes: { web: 'node server.js', release: 'node migrate.js' }, formation: { web: 2 } }));
    expect(changed(before, after)).toEqual(['Deployment/shop-worker']);
    expect(byKey(after).has('Deployment/shop-worker')).toBe(false);
  });
});
