import { hostname } from 'node:os';
import { DozenError } from '@dozen/contracts/errors';

/** The roles `dozen serve` runs, one per process (`dozen up` runs them all in one). */
export const ROLES = ['api', 'router', 'builder', 'runtime'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The settings of the roles as processes (issue 19): read here and only here; the cluster's parts
 * take them as constructor parameters. The token is never logged (its JSON form is masked).
 */
export interface ClusterConfig {
  /** DOZEN_CLUSTER_TOKEN: the roles' shared secret (Bearer on the api's internal routes and a relay), or null. */
  token: string | null;
  /** DOZEN_API_URLS: the api URLs the builder and runtime roles use, tried in order (failover). */
  apiUrls: string[];
  /** DOZEN_RELAY_PORT: where a runtime leader's relay listens (0: any free port). */
  relayPort: number;
  /** DOZEN_HOST_ID: this host's name in the cluster (a runtime's leader and standbys share it); the hostname by default. */
  hostId: string;
  /** DOZEN_BUILDER_TIMEOUT: a build job whose builder has not sent a heartbeat for this long is taken again (or failed after 2 attempts). */
  builderLostMs: number;
}

type Env = Record<string, string | undefined>;

export const MIN_TOKEN_LENGTH = 32;

/** Parses and validates the DOZEN_CLUSTER_TOKEN, DOZEN_API_URLS, DOZEN_RELAY_PORT and DOZEN_HOST_ID variables. */
export function clusterConfig(env: Env, host: () => string = hostname): ClusterConfig {
  const token = clusterToken(env);
  const config: ClusterConfig = { token, apiUrls: apiUrls(env), relayPort: relayPort(env), hostId: hostId(env, host), builderLostMs: builderTimeout(env) };
  // JSON.stringify (a logged config) shows whether a token is set, never the token.
  Object.defineProperty(config, 'toJSON', { enumerable: false, value: () => ({ ...config, token: token === null ? null : '***' }) });
  return Object.freeze(config);
}

function clusterToken(env: Env): string | null {
  const raw = env.DOZEN_CLUSTER_TOKEN;
  if (raw === undefined || raw === '') return null;
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.length < MIN_TOKEN_LENGTH || raw.length > 512) {
    throw invalid('DOZEN_CLUSTER_TOKEN', '***', `expected ${MIN_TOKEN_LENGTH} to 512 visible ASCII characters (e.g. \`openssl rand -hex 32\`), the same in every role`);
  }
  return raw;
}

function apiUrls(env: Env): string[] {
  const raw = env.DOZEN_API_URLS;
  if (raw === undefined || raw.trim() === '') return [];
  const urls = raw.split(',').map((url) => url.trim()).filter((url) => url !== '');
  for (const url of urls) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (parsed === null || !['http:', 'https:'].includes(parsed.protocol) || parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
      throw invalid('DOZEN_API_URLS', raw, `${JSON.stringify(url)} is not an http(s) URL without credentials (e.g. http://10.0.0.5:7000,http://10.0.0.6:7000)`);
    }
  }
  return urls.map((url) => url.replace(/\/+$/, ''));
}

function relayPort(env: Env): number {
  const raw = env.DOZEN_RELAY_PORT;
  if (raw === undefined || raw === '') return 7100;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw invalid('DOZEN_RELAY_PORT', raw, 'expected a port from 0 to 65535 (0: any free port)');
  return Number(raw);
}

function builderTimeout(env: Env): number {
  const raw = env.DOZEN_BUILDER_TIMEOUT;
  if (raw === undefined || raw === '') return 30_000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600) throw invalid('DOZEN_BUILDER_TIMEOUT', raw, 'expected seconds from 1 to 3600');
  return Number(raw) * 1000;
}

function hostId(env: Env, host: () => string): string {
  const raw = env.DOZEN_HOST_ID;
  const value = raw === undefined || raw === '' ? host() : raw;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(value)) throw invalid('DOZEN_HOST_ID', value, 'expected a host name of letters, digits, dots, dashes and underscores (at most 63), the same for a runtime leader and its standbys');
  return value;
}

/**
 * `dozen serve <role>` runs one role of a cluster: the roles share one PostgreSQL store and
 * authenticate to each other with the cluster token; without either, the start is refused.
 */
export function requireClusterSettings(role: Role, store: { kind: string }, cluster: ClusterConfig): void {
  if (store.kind !== 'postgres') {
    throw new DozenError('PLATFORM_CONFIG_INVALID', `\`dozen serve ${role}\` needs DATABASE_URL=postgres://…: the roles as processes share one PostgreSQL store (SQLite is for \`dozen up\`, one process).`);
  }
  if (cluster.token === null) {
    throw new DozenError('PLATFORM_CONFIG_INVALID', `\`dozen serve ${role}\` needs DOZEN_CLUSTER_TOKEN: the shared secret of the roles (at least ${MIN_TOKEN_LENGTH} characters, the same in every role).`);
  }
  if ((role === 'builder' || role === 'runtime') && cluster.apiUrls.length === 0) {
    throw new DozenError('PLATFORM_CONFIG_INVALID', `\`dozen serve ${role}\` needs DOZEN_API_URLS: the URLs of the api processes it fetches sources and slugs from (comma-separated, tried in order).`);
  }
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function invalid(name: string, value: string, rule: string): DozenError {
  return new DozenError('PLATFORM_CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not valid: ${rule}.`);
}
