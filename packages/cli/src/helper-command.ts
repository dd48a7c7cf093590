import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The command git runs as its credential helper, as `dozen git:remote` stores it. Not the path this
 * CLI was started by (a node_modules/.bin link, an npx cache entry), but the installed
 * bin/dozen.js with symlinks resolved, run by this node: it stays valid as long as Dozen stays
 * installed. Only a CLI that itself runs from the npx cache has nothing stable on disk: then git
 * runs `dozen` from PATH when it asks, and `note` says so.
 */
export function credentialHelperCommand(apiUrl: string, bin = installedBin()): { command: string[]; note: string | null } {
  const args = ['git:credential', '--api-url', apiUrl];
  if (!bin.split(sep).includes('_npx')) return { command: [process.execPath, bin, ...args], note: null };
  return {
    command: ['dozen', ...args],
    note: 'This dozen runs from the npx cache, which may be cleared: git will run `dozen` from PATH for the token. Install Dozen (npm install -g, or npm link in its checkout) so that git finds it.',
  };
}

/** bin/dozen.js of the package this module is part of (dist/ sits beside bin/). */
function installedBin(): string {
  return realpathSync(fileURLToPath(new URL('../bin/dozen.js', import.meta.url)));
}
