import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../core/scorecard/catalogue.js';
import type { CheckResult } from '../core/scorecard/check.js';
import { staticChecks } from '../core/scorecard/static-checks.js';
import type { CheckContext } from '../core/scorecard/source-snapshot.js';
import { scanSource } from './source-scan.js';

const repo = join(import.meta.dirname, '../../../..');
const fixture = (name: string): string => join(repo, 'test/fixtures/apps', name);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const context: CheckContext = { commit: COMMIT, config: {} };

async function score(dir: string, given: Partial<CheckContext> = {}): Promise<CheckResult[]> {
  return staticChecks(await scanSource(dir), { ...context, ...given });
}

function notPassing(results: CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.filter((r) => r.status !== 'pass').map((r) => [r.id, r.status]));
}

/** For every static check, a fixture that breaks exactly its rule (and the context it needs). */
const table: Array<[check: string, fixture: string | null, status: 'warn' | 'fail', given?: Partial<CheckContext>]> = [
  ['I.commit-recorded', null, 'warn', { commit: null }],
  ['I.one-app-per-codebase', 'score-i-one-app', 'warn'],
  ['II.lockfile-in-sync', 'score-ii-lockfile', 'fail'],
  ['II.engines-pinned', 'score-ii-engines', 'warn'],
  ['II.no-committed-modules', 'score-ii-node-modules', 'fail'],
  ['II.script-programs-provided', 'score-ii-programs', 'fail'],
  ['III.no-secrets-in-source', 'score-iii-secret', 'fail'],
  ['III.no-committed-env', 'score-iii-env', 'fail'],
  ['III.no-hardcoded-services', 'score-iii-services', 'warn'],
  ['IV.services-from-config', 'score-iv-services', 'warn'],
  ['V.build-without-config', 'score-v-build', 'warn'],
  ['V.migrations-in-release-phase', 'score-v-migrate', 'warn'],
  ['VI.no-memory-sessions', 'score-vi-sessions', 'warn'],
  ['VIII.process-types-declared', 'score-viii-procfile', 'warn'],
  ['VIII.foreground-processes', 'score-viii-foreground', 'fail'],
  ['X.dev-prod-parity', 'score-x-parity', 'warn', { config: { DATABASE_URL: 'postgres://app:secret@127.0.0.1:5432/app' } }],
  ['XI.no-log-files-in-code', 'score-xi-log-file', 'warn'],
  ['XII.admin-scripts-shipped', 'score-xii-admin', 'fail'],
];

describe('static scorecard checks', () => {
  it('has a table row for every static check of the catalogue', () => {
    expect(table.map(([check]) => check).sort()).toEqual(CATALOGUE.filter((c) => c.source === 'static').map((c) => c.id).sort());
  });

  it.each(table)('%s: its fixture breaks exactly it; the good example passes it', async (check, name, status, given = {}) => {
    const good = await score(join(repo, 'examples/node-web'), given);
    const bad = await score(name === null ? join(repo, 'examples/node-web') : fixture(name), given);
    if (name !== null) expect(notPassing(good)).toEqual({});
    expect(notPassing(bad)).toEqual({ [check]: status });
    const failing = bad.find((r) => r.id === check)!;
    expect(failing.evidence.length).toBeGreaterThan(0);
    expect(failing.hint).toContain('https://12factor.net/');
  });

  it('names the file and line of what it found', async () => {
    const results = await score(fixture('score-iii-secret'));
    expect(results.find((r) => r.id === 'III.no-secrets-in-source')?.evidence).toEqual(['config.js:2: an AWS access key id']);
  });

  it('scores each example what it deserves', async () => {
    const expected: Record<string, Record<string, string>> = {
      'node-web': {},
      guestbook: {},
      'node-engines': { 'VIII.process-types-declared': 'warn' },
      'node-probe': {},
      'node-ts': { 'II.engines-pinned': 'warn', 'VIII.process-types-declared': 'warn' },
    };
    for (const [example, nonPassing] of Object.entries(expected)) {
      expect([example, notPassing(await score(join(repo, 'examples', example)))]).toEqual([example, nonPassing]);
    }
  });

  it('bounds the scan: past the file cap the evidence says so', async () => {
    const snapshot = await scanSource(join(repo, 'examples/guestbook'), { maxFileBytes: 1024 * 1024, maxFiles: 2 });
    expect(snapshot.files).toHaveLength(2);
    expect(staticChecks(snapshot, context)[0]?.evidence).toContain('scan capped at 2 files: the rest of the source was not read');
  });

  it('lists a large file without reading it', async () => {
    const snapshot = await scanSource(join(repo, 'examples/node-web'), { maxFileBytes: 100, maxFiles: 100 });
    expect(snapshot.files.find((f) => f.path === 'server.js')?.text).toBeNull();
  });
});

describe('static checks on commands', () => {
  const snapshot = (scripts: Record<string, string>, files: string[] = [], deps: Record<string, string> = {}) => ({
    files: [{ path: 'package.json', text: JSON.stringify({ scripts, dependencies: deps, engines: { node: '22.x' } }) }, { path: 'Procfile', text: 'web: node server.js\n' }, { path: 'server.js', text: '' }, ...files.map((path) => ({ path, text: '' }))],
    vendored: [],
    notes: [],
  });
  const statusOf = (results: CheckResult[], id: string) => results.find((r) => r.id === id)?.status;

  it('reads node\'s flags: the script of `node -r dotenv/config server.js` is server.js; -e runs no file', () => {
    expect(statusOf(staticChecks(snapshot({ start: 'node -r dotenv/config server.js', check: 'node -e "1"' }), context), 'XII.admin-scripts-shipped')).toBe('pass');
    expect(statusOf(staticChecks(snapshot({ seed: 'node -r dotenv/config scripts/seed.js' }), context), 'XII.admin-scripts-shipped')).toBe('fail');
  });

  it('takes a missing file for build output only when the app builds', () => {
    expect(statusOf(staticChecks(snapshot({ web: 'node dist/server.js' }), context), 'XII.admin-scripts-shipped')).toBe('fail');
    expect(statusOf(staticChecks(snapshot({ web: 'node dist/server.js', prepare: 'tsc' }, [], { typescript: '5' }), context), 'XII.admin-scripts-shipped')).toBe('pass');
  });

  it('finds programs inside subshells and after assignments', () => {
    expect(statusOf(staticChecks(snapshot({ client: '(cd client && NODE_ENV=production webpack)' }), context), 'II.script-programs-provided')).toBe('fail');
    expect(statusOf(staticChecks(snapshot({ client: '(cd client && NODE_ENV=production webpack)' }, [], { webpack: '5' }), context), 'II.script-programs-provided')).toBe('pass');
  });
});
