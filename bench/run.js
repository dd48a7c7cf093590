#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs the named benchmarks (all when none is named) and prints
// one table each. Every bench measures Dozen beside its floor and its peers in the same run.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .map((f) => f.replace(/\.bench\.js$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(` !    Unknown bench: ${unknown.join(', ')}. Available: ${available.join(', ') || 'none yet'}.`);
  process.exit(2);
}
if (available.length === 0) {
  console.log('No benchmarks yet.');
  process.exit(0);
}
for (const name of wanted.length > 0 ? wanted : available) {
  const bench = await import(join(here, `${name}.bench.js`));
  await bench.run();
}
