#!/usr/bin/env node
// After `tsc -b`: makes packages/platform/dist/bundled/<package>.cjs, the CommonJS build of each
// dependency below as one file, which the platform loads when it is there
// (platform/src/bundled-dependency.ts). Kysely's CommonJS build is 263 files: each file loaded
// costs an idle platform memory of its own for good, 3.5 MB for Kysely's (docs/decisions.md, "Idle
// memory"). Without rolldown (a production install) the platform loads them from node_modules: it
// works the same, only heavier. (Not semver: Fastify loads all of it anyway.)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUNDLED = ['kysely'];
const platform = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'platform');
let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  console.warn(`bundle-commonjs: rolldown is not installed; the platform loads ${BUNDLED.join(' and ')} from node_modules.`);
  process.exit(0);
}
const resolve = createRequire(join(platform, 'package.json')).resolve;
for (const name of BUNDLED) {
  const file = join(platform, 'dist', 'bundled', `${name}.cjs`);
  await rolldown.build({ input: resolve(name), platform: 'node', output: { file, format: 'cjs' }, logLevel: 'warn' });
}
