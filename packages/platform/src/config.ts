import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { defaultDataDir } from '@dozen/contracts/node';

/** The platform's whole configuration, read once from the environment and frozen. */
export interface PlatformConfig {
  apiPort: number;
  routerPort: number;
  listenHost: string;
  dataDir: string;
  domain: string;
  store: { kind: 'sqlite'; file: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  graceMs: number;
  bootTimeoutMs: number;
  buildTimeoutMs: number;
  maxProcessesPerType: number;
  logLinesPerApp: number;
  /** Directory of the Node.js that builds and runs apps (the platform's own by default). */
  nodeBinDir: string;
  /** The largest pack a git push may send. */
  gitMaxPushBytes: number;
}

type Env = Record<string, string | undefined>;

/** The only reader of process.env in the platform. */
export function readConfig(): PlatformConfig {
  return parseConfig(process.env, process.execPath);
}

export function parseConfig(env: Env, execPath: string): PlatformConfig {
  const dataDir = absoluteDir(env, 'DOZEN_DATA_DIR', defaultDataDir({ XDG_DATA_HOME: env.XDG_DATA_HOME }));
  return Object.freeze({
    apiPort: port(env, 'PORT', 7000),
    routerPort: port(env, 'DOZEN_ROUTER_PORT', 5000),
    listenHost: host(env, 'DOZEN_LISTEN_HOST', '127.0.0.1'),
    dataDir,
    domain: domain(env, 'DOZEN_DOMAIN', 'localhost'),
    store: storeUrl(env, dataDir),
    logLevel: oneOf(env, 'DOZEN_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const, 'info'),
    graceMs: seconds(env, 'DOZEN_GRACE_PERIOD', 30, 0, 3600),
    bootTimeoutMs: seconds(env, 'DOZEN_BOOT_TIMEOUT', 60, 1, 3600),
    buildTimeoutMs: seconds(env, 'DOZEN_BUILD_TIMEOUT', 15 * 60, 10, 24 * 3600),
    maxProcessesPerType: integer(env, 'DOZEN_MAX_PROCESSES_PER_TYPE', 100, 1, 10_000),
    logLinesPerApp: integer(env, 'DOZEN_LOG_LINES', 1500, 100, 1_000_000),
    nodeBinDir: dirname(execPath),
    gitMaxPushBytes: integer(env, 'DOZEN_GIT_MAX_PUSH_MB', 500, 1, 100_000) * 1024 * 1024,
  });
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

function absoluteDir(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.includes('\u0000')) throw invalid(name, raw, 'expected a directory path');
  return isAbsolute(raw) ? raw : resolve(raw);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw invalid(name, raw, `expected one of ${values.join(', ')}`);
  return raw as T;
}

function storeUrl(env: Env, dataDir: string): PlatformConfig['store'] {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return { kind: 'sqlite', file: join(dataDir, 'dozen.db') };
  const match = /^(?:sqlite|file):(?:\/\/)?(\/.+)$/.exec(raw);
  if (match) return { kind: 'sqlite', file: match[1] as string };
  if (/^postgres(ql)?:\/\//.test(raw)) throw invalid('DATABASE_URL', raw.replace(/\/\/[^@]*@/, '//***@'), 'a PostgreSQL store is not supported by this version yet; use a sqlite:///path URL or leave it unset');
  throw invalid('DATABASE_URL', raw, 'expected sqlite:///absolute/path.db');
}
