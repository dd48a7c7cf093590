import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { SIZES } from '../core/process-sizes.js';
import type { LogEvent } from '../core/model.js';
import type { RunTarget } from '../core/ports/runtime.js';
import { FakeKubeApi } from '../test-support/fake-kube-api.js';
import { KubeApi } from './kube-api.js';
import { KubernetesRuntime } from './kubernetes-runtime.js';
import { slugSecretName } from './kube-plan.js';

/** The slug Secret of release N (its slug `slug-N`, the test's token for it). */
const slugSecret = (release: number) => slugSecretName('shop', release, `dzslug_slug-${release}_mac`);

const DEPLOYMENTS = '/apis/apps/v1/namespaces/apps/deployments';
const SECRETS = '/api/v1/namespaces/apps/secrets';
const PODS = '/api/v1/namespaces/apps/pods';

function target(release: number, processTypes: Record<string, string>, formation: Record<string, number>): RunTarget {
  return {
    app: 'shop', appId: 'app-1', release, slugId: `slug-${release}`, config: { GREETING: `hello ${release}` }, processTypes, formation,
    runtime: { nodeBinDir: null, healthchecks: {} }, user: { uid: 20001, gid: 20001 },
  };
}

describe('KubernetesRuntime against an API server on loopback', () => {
  let fake: FakeKubeApi;
  let runtime: KubernetesRuntime;
  const logs: LogEvent[] = [];

  beforeEach(async () => {
    fake = await FakeKubeApi.start();
    const config = new KubeConfig();
    config.loadFromString(fake.kubeconfig());
    runtime = new KubernetesRuntime({
      api: new KubeApi(config, 'apps'),
      cluster: { namespace: 'apps', image: 'dozen-base', webPort: 5000, graceSeconds: 30, sizes: SIZES, ingressClass: null, nodeHostPath: null, hostNetwork: false },
      slugs: { archive: async (_appId, slugId) => ({ sha256: slugId.padEnd(64, '0') }), tokenFor: (slugId) => `dzslug_${slugId}_mac` },
      apiUrl: 'https://dozen.example/',
      hostsOf: async (app) => [`${app}.dozen.example`],
      logs: { append: (event) => logs.push(event) },
      bootTimeoutMs: 2000,
      attacher: { attach: () => Promise.reject(new Error('no attach here')) },
      pollMs: 20,
    });
  });
  afterEach(async () => {
    await runtime.shutdown();
    await fake.stop();
  });

  it('applies every object with server-side apply: PATCH application/apply-patch+yaml, field manager dozen, forced', async () => {
    const progress: string[] = [];
    await runtime.rollout(target(1, { web: 'node server.js', worker: 'node worker.js' }, { web: 2, worker: 1 }), (line) => progress.push(line));
    const applies = fake.requests.filter((request) => request.method === 'PATCH');
    expect(applies.map((request) => request.path)).toEqual([
      `${SECRETS}/shop-v1-config`, `${SECRETS}/${slugSecret(1)}`, `${DEPLOYMENTS}/shop-web`, '/api/v1/namespaces/apps/services/shop-web',
      '/apis/networking.k8s.io/v1/namespaces/apps/ingresses/shop-web', `${DEPLOYMENTS}/shop-worker`,
    ]);
    for (const request of applies) {
      expect(request.contentType).toBe('application/apply-patch+yaml');
      expect(request.query.get('fieldManager')).toBe('dozen');
      expect(request.query.get('force')).toBe('true');
      expect(parse(request.body)).toMatchObject({ metadata: { labels: { 'dozen.dev/app': 'shop' } } });
    }
    const web = parse(applies[2]?.body ?? '') as { spec: { replicas: number; template: { spec: { initContainers: { env: { name: string; value?: string }[] }[] } } } };
    expect(web.spec.replicas).toBe(2);
    expect(web.spec.template.spec.initContainers[0]?.env[0]).toEqual({ name: 'DOZEN_SLUG_URL', value: 'https://dozen.example/slugs/slug-1' });
    expect(progress).toContain('shop-web: 2 of 2 up to date and available');
  });

  it('prunes the objects of a removed process type, and the Secrets older than the previous release', async () => {
    await runtime.rollout(target(1, { web: 'node server.js', worker: 'node worker.js' }, { web: 1, worker: 1 }), () => undefined);
    await runtime.rollout(target(2, { web: 'node server.js', worker: 'node worker.js' }, { web: 1, worker: 1 }), () => undefined);
    expect(fake.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
    await runtime.rollout(target(3, { web: 'node server.js' }, { web: 1 }), () => undefined);
    const deletes = fake.requests.filter((request) => request.method === 'DELETE').map((request) => request.path).sort();
    expect(deletes).toEqual([`${SECRETS}/shop-v1-config`, `${SECRETS}/${slugSecret(1)}`, `${DEPLOYMENTS}/shop-worker`].sort());
    expect(fake.stored(DEPLOYMENTS).map((object) => object.metadata.name)).toEqual(['shop-web']);
    expect(fake.stored(SECRETS).map((object) => object.metadata.name).sort()).toEqual(['shop-v2-config', slugSecret(2), 'shop-v3-config', slugSecret(3)].sort());
  });

  it('a rollout that does not become available fails with RELEASE_BOOT_FAILED and applies the previous release again', async () => {
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }), () => undefined);
    fake.deploymentsFail = true;
    await expect(runtime.rollout(target(2, { web: 'node broken.js' }, { web: 1 }), () => undefined)).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: expect.stringContaining('shop-web not available within 2 s') });
    const web = fake.get<{ spec: { template: { spec: { containers: { command: string[] }[] } } } }>(`${DEPLOYMENTS}/shop-web`) as { spec: { template: { spec: { containers: { command: string[] }[] } } } };
    expect(web.spec.template.spec.containers[0]?.command[2]).toBe('node server.js');
  });

  it('ps from the watched pods: numbered per type in creation order, states from the pod status', async () => {
    const pod = (name: string, created: string, phase: string, ready: boolean) => ({
      kind: 'Pod',
      metadata: { name, creationTimestamp: created, labels: { 'app.kubernetes.io/managed-by': 'dozen', 'dozen.dev/app': 'shop', 'dozen.dev/type': 'web', 'dozen.dev/release': 'v4' } },
      spec: { containers: [{ command: ['/bin/bash', '-c', 'node server.js'], ports: [{ containerPort: 5000 }] }] },
      status: { phase, startTime: created, containerStatuses: [{ ready, restartCount: 2, lastState: { terminated: { exitCode: 3 } } }] },
    });
    fake.put(PODS, pod('shop-web-b', '2026-01-01T00:00:02Z', 'Pending', false));
    fake.put(PODS, pod('shop-web-a', '2026-01-01T00:00:01Z', 'Running', true));
    const ps = await runtime.list('shop');
    expect(ps.map(({ name, id, state, release, restarts, lastExit, port }) => ({ name, id, state, release, restarts, lastExit, port }))).toEqual([
      { name: 'web.1', id: 'shop-web-a', state: 'up', release: 4, restarts: 2, lastExit: 'exit 3', port: 5000 },
      { name: 'web.2', id: 'shop-web-b', state: 'starting', release: 4, restarts: 2, lastExit: 'exit 3', port: 5000 },
    ]);
    await vi.waitFor(() => expect(fake.requests.some((request) => request.path === PODS && request.query.get('watch') === 'true')).toBe(true));
    await runtime.stop('shop', 'web.2');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `${PODS}/shop-web-b` });
  });

  it('the release phase runs as the Job <app>-release-v<N> after the release\'s Secrets, and ends with its pod\'s exit code', async () => {
    const release = target(3, { web: 'node server.js', release: 'node migrate.js' }, { web: 1 });
    fake.put(PODS, {
      kind: 'Pod',
      metadata: { name: 'shop-release-v3-abcde', labels: { 'job-name': 'shop-release-v3', 'dozen.dev/app': 'shop' } },
      status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] },
    });
    const run = runtime.runOneOff(release, { command: ['node migrate.js'], name: 'release.3', onStdout: () => undefined, onStderr: () => undefined });
    expect(await run.exit).toEqual({ code: 3, signal: null });
    const applied = fake.requests.filter((request) => request.method === 'PATCH').map((request) => request.path);
    expect(applied).toEqual([`${SECRETS}/shop-v3-config`, `${SECRETS}/${slugSecret(3)}`, '/apis/batch/v1/namespaces/apps/jobs/shop-release-v3']);
    const job = parse(fake.requests.find((request) => request.path.endsWith('/jobs/shop-release-v3'))?.body ?? '') as { spec: { backoffLimit: number; template: { spec: { containers: { command: string[] }[] } } } };
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.containers[0]?.command).toEqual(['/bin/bash', '-c', 'node migrate.js']);
    expect(fake.requests.some((request) => request.path === `${PODS}/shop-release-v3-abcde/log` && request.query.get('container') === 'release')).toBe(true);
  });

  it('remove deletes every object of the app by label', async () => {
    await runtime.rollout(target(1, { web: 'node server.js' }, { web: 1 }), () => undefined);
    await runtime.remove('shop');
    expect(fake.objects.size).toBe(0);
  });
});
