import type { CheckResult, CheckStatus, Factor } from './check.js';

/** Every check the scorecard knows, static (at build) and runtime (from the release's processes). */
export interface CheckDefinition {
  id: string;
  factor: Factor;
  title: string;
  source: 'static' | 'runtime';
  /** How to pass it, with the factor's page. */
  hint: string;
}

export const FACTOR_PAGES: Record<Factor, string> = {
  I: 'codebase', II: 'dependencies', III: 'config', IV: 'backing-services', V: 'build-release-run', VI: 'processes',
  VII: 'port-binding', VIII: 'concurrency', IX: 'disposability', X: 'dev-prod-parity', XI: 'logs', XII: 'admin-processes',
};

export const FACTORS: readonly Factor[] = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

function define(id: string, source: CheckDefinition['source'], title: string, hint: string): CheckDefinition {
  const factor = id.slice(0, id.indexOf('.')) as Factor;
  return { id, factor, title, source, hint: `${hint} (https://12factor.net/${FACTOR_PAGES[factor]})` };
}

export const CATALOGUE: readonly CheckDefinition[] = [
  define('I.commit-recorded', 'static', 'deployed from version control', 'Deploy with `git push dozen main` or `dozen deploy --ref HEAD`, so that the release records its commit'),
  define('I.one-app-per-codebase', 'static', 'one app per codebase', 'Keep one app per repository: deploy each app of a subdirectory as its own app (or declare npm workspaces)'),
  define('II.lockfile-in-sync', 'static', 'a lockfile in sync with package.json', 'Commit the lockfile your package manager writes (`npm install` updates package-lock.json)'),
  define('II.engines-pinned', 'static', 'engines.node pinned', 'Set `"engines": { "node": "22.x" }` in package.json'),
  define('II.no-committed-modules', 'static', 'no node_modules committed', 'Remove node_modules from the repository and list it in .gitignore: the build installs dependencies'),
  define('II.script-programs-provided', 'static', 'scripts run only declared programs', 'Add the program\'s package to dependencies (or devDependencies for a build step)'),
  define('III.no-secrets-in-source', 'static', 'no secrets in the source', 'Move the secret into a config var (`dozen config:set`), remove it from the code and rotate it'),
  define('III.no-committed-env', 'static', 'no committed .env', 'Keep .env out of the repository (.gitignore); commit a .env.example without values instead'),
  define('III.no-hardcoded-services', 'static', 'no hard-coded service addresses', 'Read the address from a config var (`process.env.DATABASE_URL`), attached by an add-on'),
  define('IV.services-from-config', 'static', 'backing services reached through URLs from config', 'Connect with the URL an add-on sets (`new Pool({ connectionString: process.env.DATABASE_URL })`)'),
  define('V.build-without-config', 'static', 'the build needs no runtime config', 'Keep the build to compiling: run migrations and anything needing the database in the release phase'),
  define('V.migrations-in-release-phase', 'static', 'migrations in the release phase, not at boot', 'Move the migration to a `release:` line of the Procfile (`release: npm run migrate`)'),
  define('VI.no-memory-sessions', 'static', 'no in-memory session store in a web app', 'Give express-session a shared store (connect-redis, connect-pg-simple): web processes scale out'),
  define('VI.writes-outside-tmp', 'runtime', 'no writes outside /tmp at run time', 'Write only to /tmp (scratch) and keep state in a backing service'),
  define('VII.binds-port', 'runtime', 'binds $PORT on all interfaces', 'Listen on `process.env.PORT` without a host (or on 0.0.0.0)'),
  define('VIII.process-types-declared', 'static', 'process types declared', 'Add a Procfile (`web: node server.js`) declaring each process type'),
  define('VIII.foreground-processes', 'static', 'processes run in the foreground', 'Run the server in the foreground: no `&`, nohup, `pm2 start` or `forever start` (use pm2-runtime)'),
  define('VIII.no-daemonizing', 'runtime', 'no self-daemonizing process', 'Keep the main process running: do not fork into the background and exit'),
  define('IX.boot-time', 'runtime', 'fast startup', 'Start accepting quickly: do slow work after listening, or in the release phase'),
  define('IX.graceful-stop', 'runtime', 'graceful stop on SIGTERM', 'Handle SIGTERM: stop accepting, finish in-flight work, exit well within the grace period'),
  define('X.dev-prod-parity', 'static', 'the same backing services in dev and production', 'Use the same kind of service in development (.env) as the add-on in production'),
  define('XI.no-log-files-in-code', 'static', 'no log files written by the code', 'Log to stdout (console.log, pino without a destination file): the platform collects the stream'),
  define('XI.logs-to-stdout', 'runtime', 'logs to stdout, not to files', 'Write logs to stdout/stderr, not to *.log files'),
  define('XII.admin-scripts-shipped', 'static', 'admin scripts shipped with the code', 'Commit the script the command runs: one-offs (`dozen run`) run what the slug has'),
];

export function definition(id: string): CheckDefinition {
  const found = CATALOGUE.find((check) => check.id === id);
  if (!found) throw new Error(`no scorecard check ${id}`);
  return found;
}

/** A result of catalogue check `id`: the hint only when it does not pass. */
export function result(id: string, status: CheckStatus, evidence: string[]): CheckResult {
  const check = definition(id);
  return { id, factor: check.factor, title: check.title, status, evidence, hint: status === 'pass' ? '' : check.hint };
}
