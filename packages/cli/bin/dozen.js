#!/usr/bin/env node
// The `dozen` command. The compiled CLI lives in dist/ (built by `npm ci` through the root
// `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(' !    Dozen is not built yet.\n !    Run `npm run build` (or `npm ci`) in the Dozen checkout first.\n');
  process.exit(1);
}
const args = process.argv.slice(2);
if (args[0] === 'git:credential' && !args.includes('--help') && !args.includes('-h')) {
  // git runs its credential helper twice per push: it starts without the rest of the CLI.
  const { runCredentialHelper } = await import(new URL('../dist/credential-helper.js', import.meta.url).href);
  process.exitCode = await runCredentialHelper(args.slice(1));
} else if (args.length === 1 && args[0] === 'up') {
  // The platform runs for days: it starts without the rest of the CLI (commander, the command table).
  const { runUp } = await import(new URL('../dist/commands/up.js', import.meta.url).href);
  await runUp();
} else {
  await import(entry.href);
}
