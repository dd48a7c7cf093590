import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a platform keeps its data when DOZEN_DATA_DIR is not set, shared by the platform and by a
 * CLI on the same host (which reads the admin token from there). Root gets /var/lib/dozen, a
 * system service's place: the servers the platform runs as their own users (the embedded
 * PostgreSQL as `postgres`) must be able to pass through to their directories, and /root is 0700.
 */
export function defaultDataDir(env: { XDG_DATA_HOME?: string | undefined } = {}, uid = process.getuid?.()): string {
  if (env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')) return join(env.XDG_DATA_HOME, 'dozen');
  if (uid === 0) return '/var/lib/dozen';
  return join(homedir(), '.local', 'share', 'dozen');
}

/**
 * The layout of a data dir: the one place that knows where each part lives (docs/architecture.md,
 * "Data dir"). The platform creates and writes it, each adapter gets its part as a path; the CLI
 * on the same host reads the admin token. What lies inside a part is its adapter's business.
 */
export interface DataDirLayout {
  root: string;
  /** The SQLite store (unless DATABASE_URL names another file). */
  store: string;
  /** The admin API token (0600); the store keeps only its hash. */
  adminToken: string;
  /** The master key file (0600) of secrets at rest, unless DOZEN_SECRET_KEY is set. */
  secretKey: string;
  /** Log history: one directory per app. */
  logs: string;
  /** Built apps: `<slugs>/<app id>/<slug id>/`. */
  slugs: string;
  /** Per-app build caches: `<cache>/<app id>/`. */
  cache: string;
  /** Node.js versions and package managers, shared by all apps (read-only in their sandboxes). */
  runtimes: string;
  /** Downloads of runtimes in progress (cleared at start). */
  runtimesScratch: string;
  /** The default DOZEN_BUILDPACK_DIRS. */
  buildpacks: string;
  /** Uploads being extracted (cleared at start). */
  sources: string;
  /** A build's scratch space, `<builds>/<build id>/` (cleared at start). */
  builds: string;
  /** The add-on servers' data. */
  addons: string;
  /** The sandbox's init, app users' passwd files, process groups it started. */
  sandbox: string;
  /** Bare repositories, the hook launcher, git's HOME. */
  git: string;
  /** The pre-receive hook's socket to the platform (while a push runs). */
  gitHooksSocket: string;
  /** The edge (router and app processes, outliving the control plane): its control socket, pid and log. */
  edgeSocket: string;
  edgePid: string;
  edgeLog: string;
  /** Backup archives, `<id>.tar.gz` with `<id>.json` beside each (issue 15). */
  backups: string;
  /** `pg:backups` of single add-ons: `<addonBackups>/<add-on id>/<id>.dump` (issue 15). */
  addonBackups: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    store: join(root, 'dozen.db'),
    adminToken: join(root, 'admin-token'),
    secretKey: join(root, 'secret-key'),
    logs: join(root, 'logs'),
    slugs: join(root, 'slugs'),
    cache: join(root, 'cache'),
    runtimes: join(root, 'runtimes'),
    runtimesScratch: join(root, 'runtimes', 'tmp'),
    buildpacks: join(root, 'buildpacks'),
    sources: join(root, 'tmp', 'sources'),
    builds: join(root, 'tmp', 'builds'),
    addons: join(root, 'addons'),
    sandbox: join(root, 'sandbox'),
    git: join(root, 'git'),
    gitHooksSocket: join(root, 'run', 'git-hooks.sock'),
    edgeSocket: join(root, 'run', 'edge.sock'),
    edgePid: join(root, 'run', 'edge.pid'),
    edgeLog: join(root, 'run', 'edge.log'),
    backups: join(root, 'backups'),
    addonBackups: join(root, 'addon-backups'),
  };
}

/** Where a slug's files are: the builder writes them there, the runtime starts processes from there. */
export function slugPath(layout: Pick<DataDirLayout, 'slugs'>, appId: string, slugId: string): string {
  return join(layout.slugs, appId, slugId);
}

export function adminTokenPath(dataDir: string): string {
  return dataDirLayout(dataDir).adminToken;
}
