import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { expanded, webCommand } from './commands.js';
import { capped, packageJson, type SourceSnapshot } from './source-snapshot.js';

/** The scripts a Node.js build runs (npm ci runs the install ones, the buildpack build and heroku-*). */
export const BUILD_SCRIPTS = ['heroku-prebuild', 'prebuild', 'build', 'postbuild', 'heroku-postbuild', 'preinstall', 'install', 'postinstall', 'prepare'];
const MIGRATION = /\b(?:migrate|db:migrate|migrate:latest|migrations?:run|db\s+push)\b/;
const RUNTIME_VAR = /\$\{?[A-Z][A-Z0-9_]*(?:_URL|_URI|SECRET|PASSWORD|_KEY|_TOKEN)\b/;

/** Factor V: build, release and run stay apart. */
export function releaseChecks(snapshot: SourceSnapshot): CheckResult[] {
  return [buildWithoutConfig(snapshot), migrationsAtRelease(snapshot)];
}

function buildWithoutConfig(snapshot: SourceSnapshot): CheckResult {
  const scripts = packageJson(snapshot)?.scripts ?? {};
  const found: string[] = [];
  for (const name of BUILD_SCRIPTS) {
    const script = scripts[name];
    if (typeof script !== 'string') continue;
    const full = expanded(snapshot, script);
    if (MIGRATION.test(full)) found.push(`package.json scripts.${name}: \`${script}\` migrates a database at build time`);
    else if (RUNTIME_VAR.test(full)) found.push(`package.json scripts.${name}: \`${script}\` reads runtime config (${RUNTIME_VAR.exec(full)?.[0]})`);
  }
  return found.length === 0 ? result('V.build-without-config', 'pass', []) : result('V.build-without-config', 'warn', capped(found));
}

function migrationsAtRelease(snapshot: SourceSnapshot): CheckResult {
  const web = webCommand(snapshot);
  if (web === null || !MIGRATION.test(expanded(snapshot, web.command))) return result('V.migrations-in-release-phase', 'pass', []);
  return result('V.migrations-in-release-phase', 'warn', [`${web.where}: \`${web.command}\` migrates at every boot of every web process`]);
}
