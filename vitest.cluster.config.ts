import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the e2e file that runs Dozen's Kubernetes runtime against the cluster of
 * KUBECONFIG (kind, k3s; docs/kubernetes.md). Not part of `npm test`: no cluster runs here.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/e2e/support/build-first.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
