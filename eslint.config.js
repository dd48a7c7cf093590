import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'examples/node-ts/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['examples/**/*.js', 'bench/apps/**/*.js', 'test/e2e/fixtures/**/*.js', 'test/fixtures/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Twelve-factor for ourselves: one module per program reads the environment.
    files: ['packages/*/src/**/*.ts'],
    // git's hook and credential helper are programs of their own, run by git: their environment is their input.
    ignores: [
      '**/*.test.ts',
      'packages/platform/src/config.ts',
      'packages/cli/src/context.ts',
      'packages/platform/src/git/hook/pre-receive.ts',
      'packages/cli/src/credential-helper.ts',
    ],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in config.ts (platform) or context.ts (CLI) only.' }],
    },
  },
  {
    // The core takes time only from the injected clock (deps.clock: now, after).
    files: ['packages/platform/src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in config.ts (platform) or context.ts (CLI) only.' },
        { object: 'Date', property: 'now', message: 'The core takes time from deps.clock.now().' },
      ],
      'no-restricted-globals': ['error', ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({ name, message: 'The core takes timers from deps.clock.after().' }))],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The core takes time from deps.clock.now().' }],
    },
  },
  {
    // One module each loads TypeBox and Kysely at run time (a bundle, a CommonJS build: an idle
    // platform's memory, docs/decisions.md "Idle memory"); elsewhere their types only.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*-conformance.ts', '**/test-support/**', 'packages/contracts/src/typebox.ts', 'packages/platform/src/store/kysely-runtime.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          ...['typebox', 'typebox/compile', 'typebox/value', 'typebox/type', 'typebox/schema', 'typebox/format', 'typebox/system', 'typebox/guard', 'typebox/error'].map((name) => ({
            name, allowTypeImports: true, message: 'Import TypeBox values from contracts/src/typebox.ts (@dozen/contracts/typebox), the bundled one.',
          })),
          { name: 'kysely', allowTypeImports: true, message: 'Import Kysely values from store/kysely-runtime.ts (its CommonJS build).' },
        ],
      }],
    },
  },
  {
    // One concept per file, small functions.
    files: ['packages/*/src/**/*.ts', 'packages/dashboard/src/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*-conformance.ts'],
    rules: {
      'max-lines': ['error', { max: 350, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // The dashboard (issue 16): browser code, type-checked with its own tsconfig (DOM, JSX for Preact).
    files: ['packages/dashboard/src/**/*.ts', 'packages/dashboard/src/**/*.tsx'],
    languageOptions: { globals: globals.browser, parserOptions: { project: ['./packages/dashboard/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['packages/dashboard/vite.config.js'],
    languageOptions: { globals: globals.node },
  },
);
