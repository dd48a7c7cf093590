import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestPlatform } from '../e2e/support/platform.js';

/**
 * Dozen on a real cluster (`npm run test:cluster`, docs/kubernetes.md): KUBECONFIG names it,
 * DOZEN_KUBE_IMAGE is an image the cluster can pull (Debian with Node.js at /opt/dozen/node, or
 * DOZEN_KUBE_NODE_PATH), DOZEN_KUBE_API_URL is where its pods reach this machine's API port
 * (DOZEN_KUBE_API_PORT, e.g. 7000), DOZEN_KUBE_NAMESPACE an existing namespace; `kubectl` on PATH.
 */
const required = ['KUBECONFIG', 'DOZEN_KUBE_IMAGE', 'DOZEN_KUBE_API_URL', 'DOZEN_KUBE_API_PORT'];

describe('kubernetes: a deploy on the cluster of KUBECONFIG', () => {
  let platform: TestPlatform;
  const namespace = process.env.DOZEN_KUBE_NAMESPACE ?? 'dozen';

  beforeAll(async () => {
    const missing = required.filter((name) => !process.env[name]);
    if (missing.length > 0) throw new Error(`test:cluster needs ${missing.join(', ')} (docs/kubernetes.md)`);
    const pass = (name: string) => (process.env[name] ? { [name]: process.env[name] as string } : {});
    platform = await TestPlatform.start({
      PORT: process.env.DOZEN_KUBE_API_PORT as string,
      DOZEN_LISTEN_HOST: process.env.DOZEN_LISTEN_HOST ?? '0.0.0.0',
      DOZEN_RUNTIME: 'kubernetes',
      ...pass('KUBECONFIG'), ...pass('DOZEN_KUBE_IMAGE'), ...pass('DOZEN_KUBE_API_URL'), ...pass('DOZEN_KUBE_NAMESPACE'), ...pass('DOZEN_KUBE_NODE_PATH'), ...pass('DOZEN_KUBE_INGRESS_CLASS'),
    });
    await platform.ok(['apps:create', 'kubeprobe']);
  });
  afterAll(async () => {
    await platform?.cli(['apps:destroy', 'kubeprobe', '--confirm', 'kubeprobe']);
    await platform?.destroy();
  });

  /** GET through the API server's service proxy (kubectl get --raw): no ingress controller needed. */
  function viaService(path: string): Promise<{ status: number; body: string }> {
    const raw = `/api/v1/namespaces/${namespace}/services/kubeprobe-web:http/proxy${path}`;
    return new Promise((resolve) => {
      execFile('kubectl', ['get', '--raw', raw], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => resolve(error ? { status: 0, body: stderr } : { status: 200, body: stdout }));
    });
  }

  it('deploys, serves through the Service, scales, shows ps and logs, runs one-offs and rolls back', async () => {
    await platform.ok(['deploy', 'test/e2e/fixtures/probe', '-a', 'kubeprobe']);
    const first = await eventually(async () => {
      const answer = await viaService('/');
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body) as { release: string };
    }, 120_000, 1000);
    expect(first.release).toBe('v1');
    await platform.ok(['ps:scale', 'web=2', 'worker=1', '-a', 'kubeprobe']);
    await eventually(async () => {
      const ps = JSON.parse((await platform.ok(['ps', '-a', 'kubeprobe', '--json'])).stdout) as { name: string; state: string }[];
      expect(ps.filter((p) => p.state === 'up').map((p) => p.name).sort()).toEqual(['web.1', 'web.2', 'worker.1']);
    }, 120_000, 1000);
    await eventually(async () => expect((await platform.ok(['logs', '-a', 'kubeprobe'])).stdout).toMatch(/app\[web\.1\]: listening on/), 60_000, 1000);
    expect((await platform.ok(['run', '-a', 'kubeprobe', '--', 'sh', '-c', 'echo "$DOZEN_APP $DOZEN_RELEASE"'])).stdout).toContain('kubeprobe v');
    await platform.ok(['config:set', 'GREETING=hi', '-a', 'kubeprobe']);
    await platform.ok(['rollback', 'v1', '-a', 'kubeprobe']);
    await eventually(async () => expect(JSON.parse((await viaService('/')).body).release).toBe('v3'), 120_000, 1000);
  });
});
