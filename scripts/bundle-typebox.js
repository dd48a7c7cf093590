#!/usr/bin/env node
// After `tsc -b`: makes packages/contracts/dist/typebox.js (which re-exports TypeBox) one file with
// TypeBox inside. TypeBox ships as 683 ES modules; loaded one by one they cost an idle platform
// about 12 MB and every CLI call their start-up (docs/decisions.md, "Idle memory"). Idempotent: a
// bundle re-bundles to itself. Without rolldown (a production install) the re-export stays: it works
// the same, only heavier.
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'contracts', 'dist', 'typebox.js');
let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  console.warn('bundle-typebox: rolldown is not installed; dist/typebox.js stays a re-export of TypeBox.');
  process.exit(0);
}
const temporary = `${file}.bundle`;
await rolldown.build({ input: file, output: { file: temporary, format: 'esm' }, logLevel: 'warn' });
renameSync(temporary, file);
