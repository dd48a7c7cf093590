import { parseRange, type AppNetworkRange } from './sandbox/address-plan.js';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { dataDirLayout, defaultDataDir } from '@dozen/contracts/node';
import { extraSizes, SIZES, type SizeTable } from './core/process-sizes.js';
import { herokuStackFor } from './core/stack.js';
import { runtimeConfig, type RuntimeConfig } from './runtime-config.js';
import { parseBackupSchedule, type BackupSchedule } from './core/backup-schedule.js';
import { clusterConfig, type ClusterConfig } from './cluster/cluster-config.js';

/** The platform's whole configuration, read once from the environment and frozen. */
export interface PlatformConfig {
  apiPort: number;
  routerPort: number;
  /** The router's HTTPS listener (DOZEN_ROUTER_HTTPS_PORT, 5443; 0 picks a free port), or null when `off`. */
  routerHttpsPort: number | null;
  listenHost: string;
  dataDir: string;
  domain: string;
  /** DOZEN_API_DOMAIN: the router answers this Host with the platform's own API (HTTP and HTTPS); null: off. */
  apiDomain: string | null;
  /** DOZEN_API_HTTP_MODE: `redirect` (default: plain HTTP to the API domain gets a 308 to https://) or `http`. */
  apiHttpMode: 'redirect' | 'http';
  /**
   * The store: SQLite (`file`), or PostgreSQL (`url`, DATABASE_URL=postgres://…); with PostgreSQL
   * `file` is the data dir's default SQLite path, which stays absent.
   */
  store: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; file: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  graceMs: number;
  bootTimeoutMs: number;
  buildTimeoutMs: number;
  maxProcessesPerType: number;
  /** The most processes (all types together) one app may be scaled to. */
  maxProcessesPerApp: number;
  /** Log history per app, on disk: at most this many lines and bytes (oldest dropped first). */
  logLinesPerApp: number;
  logBytesPerApp: number;
  drains: {
    /** Tests point drains at a loopback sink; production refuses loopback addresses. */
    allowLoopback: boolean;
    /** Messages a drain buffers while its endpoint is slow or down (then the oldest are dropped). */
    bufferLines: number;
  };
  /** Directory of the Node.js that builds and runs apps (the platform's own by default). */
  nodeBinDir: string;
  /** Add-on servers: an admin URL each, or null for the platform's own (embedded PostgreSQL, redis-server). */
  addons: { postgresAdminUrl: string | null; redisAdminUrl: string | null };
  /** `auto`: bubblewrap when it works here, else unsandboxed; `bubblewrap`: refuse to start without it. */
  sandbox: 'auto' | 'bubblewrap' | 'none';
  /** Each app in its own network namespace (auto: when sandboxed as root with iproute2 and iptables). */
  network: { isolation: 'auto' | 'on' | 'off'; range: AppNetworkRange };
  /** The first uid given to an app; each app gets the next one, never reused. */
  appUidBase: number;
  /** Crash restarts: the second waits `baseMs`, then the delay doubles up to `capMs`. */
  crashBackoff: { baseMs: number; capMs: number };
  /** Limits of an uploaded source archive. */
  source: { maxUploadBytes: number; maxExtractedBytes: number; maxEntries: number; maxPathLength: number; maxPathDepth: number; timeoutMs: number };
  /** Builds running at once, over all apps (one per app at a time in any case). */
  buildConcurrency: number;
  releasePhaseTimeoutMs: number;
  /** DOZEN_SCORECARD: static checks at every build and the deploy's score line (issue 18); off skips them unless a policy requires checks. */
  scorecard: boolean;
  /** Directories that local-path and file:// buildpacks may come from. */
  buildpackDirs: string[];
  /** Extra CA certificates for builds (registries behind a TLS proxy): NODE_EXTRA_CA_CERTS of build commands. */
  buildCaFile: string | null;
  /** $STACK of builds: a Heroku stack name (DOZEN_STACK, else derived from the host's glibc). */
  stack: string;
  /** The largest pack a git push may send. */
  gitMaxPushBytes: number;
  /** Process sizes: the table plus DOZEN_EXTRA_SIZES (core/process-sizes.ts). */
  sizes: SizeTable;
  /** How often each process's memory is sampled for R14 (DOZEN_MEMORY_SAMPLE_MS). */
  memorySampleMs: number;
  /** `off`: no cgroups even where they work (DOZEN_LIMITS; benches compare with it). */
  limits: 'auto' | 'off';
  /** The memory limit of each build command (DOZEN_BUILD_MEMORY_MB): killed past it. */
  buildMemoryBytes: number;
  /** Scheduled backups (DOZEN_BACKUP_SCHEDULE) and how many of them are kept (DOZEN_BACKUP_KEEP). */
  backups: { schedule: BackupSchedule; keep: number };
  router: RouterConfig;
  /** A token that may read GET /metrics only (besides API tokens); null: API tokens only. */
  metricsToken: string | null;
  /** The resolution of the metrics series (DOZEN_METRICS_STEP_SECONDS): 1440 points are kept per series. */
  metricsStepSeconds: number;
  /**
   * DOZEN_SECRET_KEY: the master keys (base64 of 32 bytes each, the first wraps; `NEW,OLD` while
   * rotating), or null for the key file in the data dir. Never logged.
   */
  secretKeys: string[] | null;
  /** Automatic certificates: the CA's ACME directory (null when `off`), a contact, the first retry's wait. */
  acme: { directory: string | null; email: string | null; retryBaseMs: number };
  /** DOZEN_RUNTIME (issue 19): the local supervisor or a Kubernetes cluster (runtime-config.ts). */
  runtime: RuntimeConfig;
  /** The roles as processes (`dozen serve`, issue 19): cluster/cluster-config.ts. */
  cluster: ClusterConfig;
}

/** Limits and timeouts of the router (milliseconds and bytes). */
export interface RouterConfig {
  maxLineBytes: number;
  maxHeadBytes: number;
  headTimeoutMs: number;
  keepAliveTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  maxConnections: number;
  /** Addresses or CIDR ranges of proxies in front of the router whose X-Forwarded-* are kept. */
  trustedProxies: string[];
}

type Env = Record<string, string | undefined>;

/**
 * The environment the edge process is started with (edge-link/edge-launcher.ts): it reads and
 * validates its config from the same variables, once, as this process did.
 */
export function environmentForEdge(): NodeJS.ProcessEnv {
  return { ...process.env };
}

/** The only reader of process.env in the platform. */
export function readConfig(): PlatformConfig {
  // The host's glibc only when the stack is not given: reading it takes a diagnostic report.
  return parseConfig(process.env, process.execPath, process.env.DOZEN_STACK ? null : hostGlibc());
}

/** `glibc`: the host's C library version (e.g. "2.36"), null when it is not glibc. */
export function parseConfig(env: Env, execPath: string, glibc: string | null = null): PlatformConfig {
  const dataDir = absoluteDir(env, 'DOZEN_DATA_DIR', defaultDataDir({ XDG_DATA_HOME: env.XDG_DATA_HOME }));
  const layout = dataDirLayout(dataDir);
  return Object.freeze({
    apiPort: port(env, 'PORT', 7000),
    routerPort: port(env, 'DOZEN_ROUTER_PORT', 5000),
    routerHttpsPort: env.DOZEN_ROUTER_HTTPS_PORT === 'off' ? null : port(env, 'DOZEN_ROUTER_HTTPS_PORT', 5443),
    listenHost: host(env, 'DOZEN_LISTEN_HOST', '127.0.0.1'),
    dataDir,
    domain: domain(env, 'DOZEN_DOMAIN', 'localhost'),
    apiDomain: apiDomain(env),
    apiHttpMode: oneOf(env, 'DOZEN_API_HTTP_MODE', ['redirect', 'http'] as const, 'redirect'),
    store: storeUrl(env, layout.store),
    logLevel: oneOf(env, 'DOZEN_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const, 'info'),
    graceMs: seconds(env, 'DOZEN_GRACE_PERIOD', 30, 0, 3600),
    bootTimeoutMs: seconds(env, 'DOZEN_BOOT_TIMEOUT', 60, 1, 3600),
    buildTimeoutMs: seconds(env, 'DOZEN_BUILD_TIMEOUT', 15 * 60, 1, 24 * 3600),
    maxProcessesPerType: integer(env, 'DOZEN_MAX_PROCESSES_PER_TYPE', 100, 1, 10_000),
    maxProcessesPerApp: integer(env, 'DOZEN_MAX_PROCESSES_PER_APP', 100, 1, 10_000),
    logLinesPerApp: integer(env, 'DOZEN_LOG_LINES', 50_000, 100, 10_000_000),
    logBytesPerApp: integer(env, 'DOZEN_LOG_MEGABYTES', 20, 1, 100_000) * 1024 * 1024,
    drains: {
      allowLoopback: flag(env, 'DOZEN_DRAIN_ALLOW_LOOPBACK'),
      bufferLines: integer(env, 'DOZEN_DRAIN_BUFFER', 5000, 10, 1_000_000),
    },
    nodeBinDir: dirname(execPath),
    addons: Object.freeze({
      postgresAdminUrl: adminUrl(env, 'DOZEN_POSTGRES_ADMIN_URL', ['postgres:', 'postgresql:'], 'postgres://admin:password@db.example.com:5432/postgres'),
      redisAdminUrl: adminUrl(env, 'DOZEN_REDIS_ADMIN_URL', ['redis:', 'rediss:'], 'redis://admin:password@cache.example.com:6379'),
    }),
    sandbox: oneOf(env, 'DOZEN_SANDBOX', ['auto', 'bubblewrap', 'none'] as const, 'auto'),
    network: Object.freeze({
      isolation: oneOf(env, 'DOZEN_NETWORK_ISOLATION', ['auto', 'on', 'off'] as const, 'auto'),
      range: appNetwork(env, 'DOZEN_APP_NETWORK', '10.213.0.0/16'),
    }),
    appUidBase: integer(env, 'DOZEN_APP_UID_BASE', 70_000, 1000, 2_000_000_000),
    crashBackoff: {
      baseMs: integer(env, 'DOZEN_CRASH_BACKOFF_MS', 1000, 10, 3_600_000),
      capMs: integer(env, 'DOZEN_CRASH_BACKOFF_MAX_MS', 300_000, 10, 86_400_000),
    },
    router: Object.freeze(routerConfig(env)),
    metricsToken: metricsToken(env),
    metricsStepSeconds: integer(env, 'DOZEN_METRICS_STEP_SECONDS', 60, 1, 3600),
    secretKeys: secretKeys(env),
    acme: Object.freeze({ directory: acmeDirectory(env), email: acmeEmail(env), retryBaseMs: seconds(env, 'DOZEN_ACME_RETRY_SECONDS', 60, 1, 86_400) }),
    source: {
      maxUploadBytes: integer(env, 'DOZEN_UPLOAD_MAX_MB', 500, 1, 100_000) * MB,
      maxExtractedBytes: integer(env, 'DOZEN_SOURCE_MAX_MB', 1024, 1, 1_000_000) * MB,
      maxEntries: integer(env, 'DOZEN_SOURCE_MAX_ENTRIES', 100_000, 1, 10_000_000),
      maxPathLength: integer(env, 'DOZEN_SOURCE_MAX_PATH_LENGTH', 1024, 16, 4096),
      maxPathDepth: integer(env, 'DOZEN_SOURCE_MAX_DEPTH', 64, 2, 1024),
      timeoutMs: seconds(env, 'DOZEN_INTAKE_TIMEOUT', 300, 1, 24 * 3600),
    },
    buildConcurrency: integer(env, 'DOZEN_BUILD_CONCURRENCY', 2, 1, 64),
    releasePhaseTimeoutMs: seconds(env, 'DOZEN_RELEASE_PHASE_TIMEOUT', 3600, 1, 24 * 3600),
    scorecard: oneOf(env, 'DOZEN_SCORECARD', ['on', 'off'] as const, 'on') === 'on',
    buildpackDirs: directories(env, 'DOZEN_BUILDPACK_DIRS', [layout.buildpacks]),
    buildCaFile: env.DOZEN_BUILD_CA_FILE || env.NODE_EXTRA_CA_CERTS || null,
    stack: stack(env, 'DOZEN_STACK', glibc),
    gitMaxPushBytes: integer(env, 'DOZEN_GIT_MAX_PUSH_MB', 500, 1, 100_000) * 1024 * 1024,
    sizes: [...SIZES, ...extraSizes(env.DOZEN_EXTRA_SIZES)],
    memorySampleMs: integer(env, 'DOZEN_MEMORY_SAMPLE_MS', 5000, 100, 600_000),
    limits: oneOf(env, 'DOZEN_LIMITS', ['auto', 'off'] as const, 'auto'),
    buildMemoryBytes: integer(env, 'DOZEN_BUILD_MEMORY_MB', 2048, 64, 1_000_000) * MB,
    backups: Object.freeze({ schedule: storeBackupSchedule(env), keep: integer(env, 'DOZEN_BACKUP_KEEP', 7, 1, 10_000) }),
    runtime: runtimeConfig(env),
    cluster: clusterConfig(env),
  });
}

function routerConfig(env: Env): RouterConfig {
  return {
    maxLineBytes: integer(env, 'DOZEN_ROUTER_MAX_LINE_BYTES', 8192, 1024, 1024 * 1024),
    maxHeadBytes: integer(env, 'DOZEN_ROUTER_MAX_HEAD_BYTES', 65536, 4096, 16 * 1024 * 1024),
    headTimeoutMs: duration(env, 'DOZEN_ROUTER_HEAD_TIMEOUT', 10),
    keepAliveTimeoutMs: duration(env, 'DOZEN_ROUTER_KEEPALIVE_TIMEOUT', 90),
    firstByteTimeoutMs: duration(env, 'DOZEN_ROUTER_REQUEST_TIMEOUT', 30),
    idleTimeoutMs: duration(env, 'DOZEN_ROUTER_IDLE_TIMEOUT', 55),
    maxConnections: integer(env, 'DOZEN_ROUTER_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    trustedProxies: trustedProxies(env, 'DOZEN_ROUTER_TRUSTED_PROXIES'),
  };
}

/** Seconds, with up to three decimals (`0.5` is half a second): tests use short timeouts. */
function duration(env: Env, name: string, fallbackSeconds: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackSeconds * 1000;
  const ms = Math.round(Number(raw) * 1000);
  if (!/^\d+(\.\d{1,3})?$/.test(raw) || ms < 1 || ms > 24 * 3600 * 1000) throw invalid(name, raw, 'expected seconds from 0.001 to 86400 (e.g. 30 or 0.5)');
  return ms;
}

function trustedProxies(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const max = isIP(address ?? '') === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (isIP(address ?? '') === 0 || !validBits || extra !== undefined) throw invalid(name, raw, `${JSON.stringify(entry)} is not an IP address or CIDR range (e.g. 10.0.0.0/8,192.168.1.5)`);
  }
  return entries;
}

function metricsToken(env: Env): string | null {
  const raw = env.DOZEN_METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  if (!/^[\x21-\x7e]{16,256}$/.test(raw)) throw invalid('DOZEN_METRICS_TOKEN', '***', 'expected 16 to 256 visible ASCII characters');
  return raw;
}

/** DOZEN_SECRET_KEY: one or more base64 keys of 32 bytes, comma-separated; the value is never echoed. */
function secretKeys(env: Env): string[] | null {
  const raw = env.DOZEN_SECRET_KEY;
  if (raw === undefined || raw.trim() === '') return null;
  const keys = raw.split(',').map((key) => key.trim());
  keys.forEach((key, index) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length !== 32) {
      throw new DozenError('SECRET_KEY_INVALID', `DOZEN_SECRET_KEY is not valid: key ${index + 1} of ${keys.length} is not base64 of 32 bytes.`);
    }
  });
  return keys;
}

/** Let's Encrypt's production directory; its staging one is https://acme-staging-v02.api.letsencrypt.org/directory. */
export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

function acmeDirectory(env: Env): string | null {
  const raw = env.DOZEN_ACME_DIRECTORY;
  if (raw === 'off') return null;
  if (raw === undefined || raw === '') return LETS_ENCRYPT;
  if (!/^https:\/\/[\x21-\x7e]{1,2000}$/.test(raw)) throw invalid('DOZEN_ACME_DIRECTORY', raw, 'expected an https:// URL of an ACME directory, or off');
  return raw;
}

function acmeEmail(env: Env): string | null {
  const raw = env.DOZEN_ACME_EMAIL;
  if (raw === undefined || raw === '') return null;
  if (!/^[^\s@]{1,64}@[^\s@]{1,253}$/.test(raw)) throw invalid('DOZEN_ACME_EMAIL', raw, 'expected an email address');
  return raw;
}

const MB = 1024 * 1024;

function stack(env: Env, name: string, glibc: string | null): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return herokuStackFor(glibc);
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(raw)) throw invalid(name, raw, 'expected a stack name of lowercase letters, digits and dashes, e.g. heroku-24');
  return raw;
}

function hostGlibc(): string | null {
  if (process.platform !== 'linux') return null;
  // No network section: it would look up host names.
  (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return header?.glibcVersionRuntime ?? null;
}

function directories(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const dirs = raw.split(':').filter((d) => d !== '');
  for (const dir of dirs) if (!isAbsolute(dir) || dir.includes('\u0000')) throw invalid(name, raw, 'expected absolute directories separated by colons');
  return dirs.map((d) => resolve(d));
}

function backupSchedule(env: Env, name: string): BackupSchedule {
  const raw = env[name] ?? 'off';
  const parsed = parseBackupSchedule(raw);
  if (typeof parsed === 'string') throw new DozenError('PLATFORM_CONFIG_INVALID', `${name}=${JSON.stringify(raw)} is not valid: ${parsed}.`);
  return parsed;
}

function invalid(name: string, value: string, rule: string): DozenError {
  return new DozenError('PLATFORM_CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not valid: ${rule}.`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw invalid(name, raw, `expected a whole number from ${min} to ${max}`);
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw invalid(name, raw, 'expected 1/true or 0/false');
}

function port(env: Env, name: string, fallback: number): number {
  return integer(env, name, fallback, 0, 65535);
}

function seconds(env: Env, name: string, fallback: number, min: number, max: number): number {
  return integer(env, name, fallback, min, max) * 1000;
}

function host(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(raw)) throw invalid(name, raw, 'expected an IP address or host name to listen on');
  return raw;
}

function domain(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  if (!new RegExp(`^${label}(\\.${label})*$`).test(raw)) throw invalid(name, raw, 'expected a lowercase DNS name such as apps.example.com');
  return raw;
}

/** DOZEN_API_DOMAIN: a DNS name outside DOZEN_DOMAIN (whose names are apps'). */
function apiDomain(env: Env): string | null {
  const name = domain(env, 'DOZEN_API_DOMAIN', '');
  if (name === '' || name === 'off') return null;
  const platform = domain(env, 'DOZEN_DOMAIN', 'localhost');
  if (name === platform || name.endsWith(`.${platform}`)) throw invalid('DOZEN_API_DOMAIN', name, `expected a name outside DOZEN_DOMAIN (${platform}), whose names are apps', e.g. api.example.com`);
  return name;
}

function absoluteDir(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.includes('\u0000')) throw invalid(name, raw, 'expected a directory path');
  return isAbsolute(raw) ? raw : resolve(raw);
}

function appNetwork(env: Env, name: string, fallback: string): AppNetworkRange {
  const raw = env[name] || fallback;
  const range = parseRange(raw);
  if (range === null) throw invalid(name, raw, 'expected a private IPv4 range from /10 to /28 with its host bits clear, e.g. 10.213.0.0/16');
  return range;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw invalid(name, raw, `expected one of ${values.join(', ')}`);
  return raw as T;
}

function storeUrl(env: Env, defaultFile: string): PlatformConfig['store'] {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return { kind: 'sqlite', file: defaultFile };
  const match = /^(?:sqlite|file):(?:\/\/)?(\/.+)$/.exec(raw);
  if (match) return { kind: 'sqlite', file: match[1] as string };
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: postgresUrl(raw), file: defaultFile };
  throw invalid('DATABASE_URL', raw, 'expected sqlite:///absolute/path.db or postgres://user:password@host:port/database');
}

/**
 * Scheduled backups archive a SQLite store with its data dir; with a PostgreSQL store they would
 * only fail every time (BACKUP_STORE_EXTERNAL), so the start refuses the setting instead.
 */
function storeBackupSchedule(env: Env): BackupSchedule {
  const schedule = backupSchedule(env, 'DOZEN_BACKUP_SCHEDULE');
  if (schedule.kind !== 'off' && /^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '')) {
    throw invalid('DOZEN_BACKUP_SCHEDULE', env.DOZEN_BACKUP_SCHEDULE ?? '', 'scheduled backups archive a SQLite store; with DATABASE_URL=postgres://… leave it off and back up the database with its own tools (docs/scale-out.md)');
  }
  return schedule;
}

/** A PostgreSQL URL with a host and a database; in errors, its credentials are masked. */
function postgresUrl(raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  const masked = url ? raw.replace(/\/\/[^@/]*@/, '//***@') : 'postgres://***';
  if (!url || !url.hostname || url.pathname.length <= 1) throw invalid('DATABASE_URL', masked, 'expected postgres://user:password@host:port/database (a host and a database name)');
  return raw;
}

/** An admin URL of an add-on server; in errors, its credentials are masked. */
function adminUrl(env: Env, name: string, schemes: string[], example: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (url && schemes.includes(url.protocol) && url.hostname) return raw;
  // The value may hold a password: show it only when it parses, and then with the password masked.
  if (url?.password) url.password = '***';
  throw invalid(name, url ? url.toString() : '(not shown: not a URL)', `expected a URL like ${example}`);
}
