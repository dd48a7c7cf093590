import { describe, expect, it } from 'vitest';
import { runtimeConfig } from './runtime-config.js';

describe('DOZEN_RUNTIME and the DOZEN_KUBE_* variables', () => {
  const kube = { DOZEN_RUNTIME: 'kubernetes', DOZEN_KUBE_IMAGE: 'registry.example/dozen-base:bookworm', DOZEN_KUBE_API_URL: 'https://dozen.example' };

  it('is the local supervisor by default', () => {
    expect(runtimeConfig({})).toEqual({ kind: 'local' });
    expect(runtimeConfig({ DOZEN_RUNTIME: 'local', DOZEN_KUBE_IMAGE: 'ignored' })).toEqual({ kind: 'local' });
  });

  it('kubernetes: KUBECONFIG (its first file), the namespace, image, API URL and the optional settings', () => {
    expect(runtimeConfig({ ...kube, KUBECONFIG: '/etc/kube/a.yaml:/etc/kube/b.yaml', DOZEN_KUBE_NAMESPACE: 'apps', DOZEN_KUBE_WEB_PORT: '8080', DOZEN_KUBE_INGRESS_CLASS: 'traefik', DOZEN_KUBE_NODE_PATH: '/opt/node' })).toEqual({
      kind: 'kubernetes', kubeconfig: '/etc/kube/a.yaml', namespace: 'apps', image: 'registry.example/dozen-base:bookworm', apiUrl: 'https://dozen.example',
      ingressClass: 'traefik', webPort: 8080, nodeHostPath: '/opt/node',
    });
    expect(runtimeConfig({ ...kube, HOME: '/home/x' })).toMatchObject({ namespace: 'dozen', webPort: 5000, ingressClass: null, nodeHostPath: null, kubeconfig: expect.stringMatching(/\.kube\/config$/) });
  });

  it('refuses what it cannot use, naming the variable', () => {
    const refused = (env: Record<string, string>, name: string) => expect(() => runtimeConfig(env)).toThrow(expect.objectContaining({ code: 'PLATFORM_CONFIG_INVALID', message: expect.stringContaining(`${name}=`) }));
    refused({ DOZEN_RUNTIME: 'nomad' }, 'DOZEN_RUNTIME');
    refused({ DOZEN_RUNTIME: 'kubernetes', DOZEN_KUBE_API_URL: 'https://dozen.example' }, 'DOZEN_KUBE_IMAGE');
    refused({ ...kube, DOZEN_KUBE_API_URL: 'dozen.example' }, 'DOZEN_KUBE_API_URL');
    refused({ ...kube, DOZEN_KUBE_NAMESPACE: 'Apps_1' }, 'DOZEN_KUBE_NAMESPACE');
    refused({ ...kube, DOZEN_KUBE_WEB_PORT: '70000' }, 'DOZEN_KUBE_WEB_PORT');
    refused({ ...kube, DOZEN_KUBE_NODE_PATH: 'relative/node' }, 'DOZEN_KUBE_NODE_PATH');
  });
});
