import { defineConfig } from 'vitest/config';

// Two projects: fast unit/API tests beside the code, and end-to-end tests that start the
// real platform. The e2e files run one at a time: each drives builds and processes, and the
// CI machine has two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'test/docs/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // e2e tests run the compiled dist/: build it (incrementally) before any of them runs.
          globalSetup: ['test/e2e/support/build-first.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
