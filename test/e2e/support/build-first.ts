import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Vitest globalSetup for the e2e project: e2e tests start the compiled platform from `dist/`, so
 * build it first (`tsc -b`, incremental: about a second when nothing changed). Without this a bare
 * `npx vitest` after an edit would test yesterday's code. A type error fails the run loudly.
 */
export default function buildFirst(): void {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const packages = ['contracts', 'platform', 'cli'].map((name) => join('packages', name));
  const result = spawnSync(process.execPath, [tsc, '-b', ...packages], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`e2e tests need a fresh build of dist/, and \`tsc -b\` failed:\n${result.stdout}${result.stderr}`);
  }
}
