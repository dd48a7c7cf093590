import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { adminTokenPath, defaultDataDir } from '@dozen/contracts/node';
import { readCredential } from './credentials.js';

/** The environment variables the CLI reads (passed in by the programs' entry modules). */
export type CliEnv = Record<string, string | undefined>;

export function apiUrlOf(env: CliEnv): string {
  return (env.DOZEN_API_URL || 'http://127.0.0.1:7000').replace(/\/+$/, '');
}

export function configDirOf(env: CliEnv): string {
  return env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'dozen') : join(homedir(), '.config', 'dozen');
}

/** DOZEN_API_TOKEN, else the token saved by `dozen login`, else (on the platform host) the admin token file. */
export function resolveToken(env: CliEnv, apiUrl: string, configDir: string): { token: string | undefined; source: string } {
  if (env.DOZEN_API_TOKEN) return { token: env.DOZEN_API_TOKEN, source: 'DOZEN_API_TOKEN' };
  const saved = readCredential(configDir, apiUrl);
  if (saved) return { token: saved, source: 'dozen login' };
  if (isLoopback(apiUrl)) {
    const file = adminTokenPath(env.DOZEN_DATA_DIR || defaultDataDir({ XDG_DATA_HOME: env.XDG_DATA_HOME }));
    try {
      return { token: readFileSync(file, 'utf8').trim(), source: file };
    } catch {
      // not on the platform host, or not allowed to read its data dir
    }
  }
  return { token: undefined, source: 'none' };
}

/** The token for a given API URL; DOZEN_API_TOKEN belongs to DOZEN_API_URL, so another platform never gets it. */
export function tokenForApiUrl(env: CliEnv, apiUrl: string): string | undefined {
  const url = apiUrl.replace(/\/+$/, '');
  const own = url === apiUrlOf(env) ? env : { ...env, DOZEN_API_TOKEN: undefined };
  return resolveToken(own, url, configDirOf(env)).token;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
