import { defineConfig } from 'vitest/config';

// Three projects: fast unit/API tests beside the code, and end-to-end tests that start the real
// platform. Most e2e files wait on processes, builds and timeouts more than they compute, so two
// of them run at a time (each has its own platform, ports, data dir and app network range). The
// files that measure time, memory or failed requests under load run after them, one at a time,
// so that another file's work cannot move their numbers (the CI machine has two cores).
const SERIAL_E2E = [
  'test/e2e/bench-support.test.ts',
  'test/e2e/builds-resources.test.ts',
  'test/e2e/dashboard.test.ts',
  'test/e2e/dashboard-access.test.ts',
  'test/e2e/dashboard-metrics.test.ts',
  'test/e2e/dashboard-pages.test.ts',
  'test/e2e/faults-build.test.ts',
  'test/e2e/https-traffic.test.ts',
  'test/e2e/logs.test.ts',
  'test/e2e/metrics.test.ts',
  'test/e2e/platform-restart.test.ts',
  // Six platform processes and a PostgreSQL, with a load through the router that must see no failure.
  'test/e2e/roles.test.ts',
  'test/e2e/router.test.ts',
  'test/e2e/scorecard-runtime.test.ts',
  'test/e2e/run-flow-control.test.ts',
  'test/e2e/runtime-failover.test.ts',
  'test/e2e/runtime-faults.test.ts',
  'test/e2e/runtime-limits.test.ts',
  'test/e2e/runtime-restart.test.ts',
  'test/e2e/runtime-zero-downtime.test.ts',
  'test/e2e/secrets-at-rest.test.ts',
  // Runs containers with Podman (an image build on a cold cache): alone, not beside other e2e files.
  'test/e2e/kubernetes-podman.test.ts',
];

const e2e = {
  // e2e tests run the compiled dist/: build it (incrementally) before any of them runs.
  globalSetup: ['test/e2e/support/build-first.ts'],
  testTimeout: 180_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'test/docs/**/*.test.ts'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: SERIAL_E2E,
          ...e2e,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e-serial',
          include: SERIAL_E2E,
          ...e2e,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
