import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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
  buildDashboard(root);
}

/** The dashboard (vite, a few seconds), when its dist/ is missing or older than a source file. */
function buildDashboard(root: string): void {
  const dir = join(root, 'packages', 'dashboard');
  const built = join(dir, 'dist', 'index.html');
  const newest = (path: string): number => (statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : statSync(path).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(join(dir, 'src')), newest(join(dir, 'index.html')))) return;
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`e2e tests need the dashboard built, and \`vite build\` failed:\n${result.stdout}${result.stderr}`);
}
