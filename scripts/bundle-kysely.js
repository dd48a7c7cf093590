#!/usr/bin/env node
// After `tsc -b`: makes packages/platform/dist/store/kysely.cjs, Kysely's CommonJS build as one
// file, which store/kysely-runtime.ts loads when it is there. Kysely's CommonJS build is 263 files:
// loaded one by one they cost an idle platform about 3.5 MB more (docs/decisions.md, "Idle
// memory"). Without rolldown (a production install) the store loads 'kysely' itself: it works the
// same, only heavier.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const platform = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'platform');
let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  console.warn('bundle-kysely: rolldown is not installed; the store loads kysely from node_modules.');
  process.exit(0);
}
const input = createRequire(join(platform, 'package.json')).resolve('kysely');
await rolldown.build({ input, platform: 'node', output: { file: join(platform, 'dist', 'store', 'kysely.cjs'), format: 'cjs' }, logLevel: 'warn' });
