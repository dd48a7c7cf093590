import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { packageJson, type CheckContext, type SourceSnapshot } from './source-snapshot.js';

/** Factor I: the release comes from a commit; the tree holds one app. */
export function codebaseChecks(snapshot: SourceSnapshot, context: CheckContext): CheckResult[] {
  const commit = context.commit
    ? result('I.commit-recorded', 'pass', [`commit ${context.commit.slice(0, 12)}`])
    : result('I.commit-recorded', 'warn', ['no commit recorded: deployed from a directory or an archive']);
  return [commit, oneApp(snapshot)];
}

function oneApp(snapshot: SourceSnapshot): CheckResult {
  if (packageJson(snapshot)?.workspaces !== undefined) return result('I.one-app-per-codebase', 'pass', ['npm workspaces declared: one codebase with packages']);
  const others = snapshot.files.filter((file) => /\/Procfile$/.test(file.path)).map((file) => file.path);
  if (others.length === 0) return result('I.one-app-per-codebase', 'pass', []);
  return result('I.one-app-per-codebase', 'warn', others.map((path) => `${path}: another app's ${path.slice(path.lastIndexOf('/') + 1)} in a subdirectory`));
}
