/** The import rules of docs/architecture.md, enforced in `npm test`. */
const ADAPTERS = '(store|build|runtime|router|logs|addons|api|sandbox|git|secrets|acme|edge-link|disk|backups|kubernetes)';
const IO_MODULES = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls|dns|cluster|worker_threads|os|readline|stream)$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Cycles make the layers meaningless.', from: {}, to: { circular: true } },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'The core imports only itself and the error catalogue (pure data) of the contracts.',
      from: { path: '^packages/platform/src/core/', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/', pathNot: ['^packages/platform/src/core/', '^packages/contracts/(src|dist)/errors\\.(ts|js|d\\.ts)$'] },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment: 'The core is pure: files, sockets and processes belong to adapters.',
      from: { path: '^packages/platform/src/core/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'core-uses-no-libraries',
      severity: 'error',
      comment: 'Domain rules do not depend on frameworks.',
      from: { path: '^packages/platform/src/core/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'adapters-meet-only-in-main',
      severity: 'error',
      comment: 'Adapters import the core and libraries, never each other; main.ts wires them (and tests may).',
      from: { path: `^packages/platform/src/${ADAPTERS}/`, pathNot: '\\.test\\.ts$' },
      to: { path: `^packages/platform/src/${ADAPTERS}/`, pathNot: '^packages/platform/src/$1/' },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      comment: 'main.ts is the composition root: it imports everything, nothing imports it.',
      from: { path: '^packages/platform/src/', pathNot: ['^packages/platform/src/main\\.ts$', '\\.test\\.ts$'] },
      to: { path: '^packages/platform/src/main\\.ts$' },
    },
    {
      name: 'only-main-imports-the-edge-root',
      severity: 'error',
      comment: 'edge-main.ts is the composition root of the edge process: main.ts and the roles wiring (roles/: the in-process edge, `dozen serve router`) and its entry import it.',
      from: { path: '^packages/platform/src/', pathNot: ['^packages/platform/src/(main|edge-entry|edge-wiring)\\.ts$', '^packages/platform/src/roles/', '\\.test\\.ts$'] },
      to: { path: '^packages/platform/src/edge-main\\.ts$' },
    },
    {
      name: 'only-main-reads-config',
      severity: 'error',
      comment: 'Configuration is read once, in main.ts (and roles/serve.ts), and passed down as values; roles/ is the wiring of main.ts, split per role.',
      from: { path: '^packages/platform/src/', pathNot: ['^packages/platform/src/(main|edge-main|edge-wiring|build-wiring|config|dev-build)\\.ts$', '^packages/platform/src/roles/', '\\.test\\.ts$'] },
      to: { path: '^packages/platform/src/config\\.ts$' },
    },
    {
      name: 'cli-talks-only-to-the-api',
      severity: 'error',
      comment: 'Whatever the CLI can do, the API can do: the CLI imports contracts only (`dozen up` and `dozen serve` start the platform).',
      from: { path: '^packages/cli/src/', pathNot: ['^packages/cli/src/commands/(up|serve|backups/restore)\\.ts$', '^packages/cli/src/commands/dev/dev(-build)?\\.ts$'] },
      to: { path: '^packages/platform/' },
    },
    {
      name: 'dashboard-talks-only-to-the-api',
      severity: 'error',
      comment: 'Whatever the dashboard can do, the API and the CLI can do: it imports the contracts (their client), never the platform or the CLI.',
      from: { path: '^packages/dashboard/src/' },
      to: { path: '^packages/(platform|cli)/' },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      comment: 'The contracts are shared by every side and depend on none.',
      from: { path: '^packages/contracts/' },
      to: { path: '^packages/(platform|cli|dashboard)/' },
    },
  ],
  options: {
    // Workspace packages resolve to their compiled dist/: keep those edges, do not crawl them.
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
