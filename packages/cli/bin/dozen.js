#!/usr/bin/env node
// The `dozen` command. The compiled CLI lives in dist/ (built by `npm ci` through the root
// `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(' !    Dozen is not built yet.\n !    Run `npm run build` (or `npm ci`) in the Dozen checkout first.\n');
  process.exit(1);
}
await import(entry.href);
