import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApi } from '../../packages/platform/src/test-support/fake-kube-api.js';
import { ensureBaseImage, BASE_IMAGE, podman, podmanEnv, podmanTry } from './support/podman.js';
import { eventually, httpGet, TestPlatform } from './support/platform.js';

const NAMESPACE = '/namespaces/dozen/';
/** The applied pod template, read back field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Issue 19, acceptance 3: the container contract of the Kubernetes runtime executed for real. A
 * platform with DOZEN_RUNTIME=kubernetes applies a deploy's objects to an API server stand-in on
 * loopback (no cluster can run here); the web Deployment's pod template, as applied, runs as a Pod
 * under `podman kube play` with its Secrets as Podman secrets: the init container fetches the slug
 * from the running platform with its scoped token and checks its digest, the app answers on PORT
 * with the platform's env, and SIGTERM stops it within the grace period.
 */
describe('kubernetes: the generated pod spec under podman kube play', () => {
  let platform: TestPlatform;
  let fake: FakeKubeApi;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let webPort: number;
  /** The release's Secrets as applied: the config one and the slug token's (its name carries the token's hash). */
  let secretNames: string[] = [];
  const podFile = () => join(dir, 'pod.yaml');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozen-podman-'));
    env = podmanEnv(dir);
    ensureBaseImage(env);
    fake = await FakeKubeApi.start();
    writeFileSync(join(dir, 'kubeconfig'), fake.kubeconfig());
    const apiPort = await freePort();
    webPort = await freePort();
    platform = await TestPlatform.start({
      PORT: String(apiPort),
      DOZEN_RUNTIME: 'kubernetes',
      KUBECONFIG: join(dir, 'kubeconfig'),
      DOZEN_KUBE_IMAGE: BASE_IMAGE,
      DOZEN_KUBE_API_URL: `http://127.0.0.1:${apiPort}`,
      DOZEN_KUBE_WEB_PORT: String(webPort),
      // Node.js from the host, as a single-node cluster would mount it (the image has none).
      DOZEN_KUBE_NODE_PATH: dirname(dirname(process.execPath)),
    });
    await platform.ok(['apps:create', 'kube']);
    await platform.ok(['deploy', 'test/e2e/fixtures/probe', '-a', 'kube']);
  });
  afterAll(async () => {
    if (env) {
      podmanTry(env, ['kube', 'down', podFile()]);
      for (const secret of secretNames) podmanTry(env, ['secret', 'rm', secret]);
    }
    await platform?.destroy();
    await fake?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fetches the slug with its token, serves on PORT and stops on SIGTERM within the grace period', async () => {
    const deployment = fake.get<{ spec: { template: { metadata: { labels: Record<string, string> }; spec: Loose } } }>('/apis/apps/v1/namespaces/dozen/deployments/kube-web');
    expect(deployment).toBeDefined();
    const template = (deployment as NonNullable<typeof deployment>).spec.template;
    // The slug route: the token of the slug Secret opens the slug, and its bytes have the digest the manifest carries.
    secretNames = fake.stored(`/api/v1${NAMESPACE}secrets`).map((secret) => secret.metadata.name).sort();
    expect(secretNames).toEqual(['kube-v1-config', expect.stringMatching(/^kube-v1-slug-[0-9a-f]{8}$/)]);
    const slugSecret = fake.get<{ data: { token: string } }>(`/api/v1${NAMESPACE}secrets/${secretNames[1]}`) as { data: { token: string } };
    const token = Buffer.from(slugSecret.data.token, 'base64').toString('utf8');
    const init = template.spec.initContainers[0] as { env: { name: string; value?: string }[] };
    const url = init.env.find((entry) => entry.name === 'DOZEN_SLUG_URL')?.value as string;
    const sha256 = init.env.find((entry) => entry.name === 'DOZEN_SLUG_SHA256')?.value as string;
    const slug = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(slug.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await slug.arrayBuffer())).digest('hex')).toBe(sha256);
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(404);
    expect((await fetch(url.replace(/slugs\/.*/, 'slugs/other'), { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);

    // The Secrets as Podman secrets: kube play 4.3 reads a secretKeyRef from a Podman secret holding
    // the Secret's `data` (key -> base64) as JSON.
    for (const name of secretNames) {
      podmanTry(env, ['secret', 'rm', name]);
      const secret = fake.get<{ data: Record<string, string>; immutable: boolean }>(`/api/v1${NAMESPACE}secrets/${name}`) as { data: Record<string, string>; immutable: boolean };
      expect(secret.immutable).toBe(true);
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(secret.data));
      podman(env, ['secret', 'create', name, join(dir, `${name}.json`)]);
    }
    // The Deployment's pod template as a Pod, on the host's network (one host, no pod network).
    // Podman 4.3 refuses `ports` on the host's network ("PortMappings can only be used with Bridge"):
    // the declaration goes, the app still listens on PORT from its env.
    const containers = (template.spec.containers as Record<string, unknown>[]).map(({ ports: _ports, ...container }) => container);
    // Podman 4.3 here does not see a container's exit at once (it waits ~20 s) and then fails to
    // remove a still "running" init container of the default type `once`: `always` keeps it.
    const annotations = { 'io.podman.annotations.init.container.type': 'always' };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-web', labels: template.metadata.labels, annotations }, spec: { ...template.spec, containers, hostNetwork: true } };
    // JSON (YAML's subset), as the runtime applies it.
    writeFileSync(podFile(), JSON.stringify(pod, null, 2));
    const played = podmanTry(env, ['kube', 'play', '--replace', podFile()]);
    expect(played.status, `${played.output}\n${readFileSync(podFile(), 'utf8').split('\n').slice(60, 70).join('\n')}`).toBe(0);
    const answer = await eventually(async () => {
      const response = await httpGet(webPort, '127.0.0.1', '/');
      expect(response.status).toBe(200);
      return JSON.parse(response.body) as { release: string; process: string; uid: number };
    }, 60_000, 250);
    const user = template.spec.securityContext.runAsUser as number;
    expect(answer).toMatchObject({ release: 'v1', process: 'web', uid: user });
    expect(user).toBeGreaterThan(0);
    expect(podman(env, ['logs', 'kube-web-slug'])).toContain(`slug: ${sha256} unpacked into /app`);

    // SIGTERM: the app closes and exits 0 well within its grace period (not killed at its end).
    const grace = template.spec.terminationGracePeriodSeconds as number;
    const started = Date.now();
    podman(env, ['pod', 'stop', '--time', String(grace), 'kube-web']);
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(grace * 1000);
    expect(podman(env, ['inspect', 'kube-web-web', '--format', '{{.State.ExitCode}}']).trim()).toBe('0');
  });
});
