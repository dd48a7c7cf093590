import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DozenClient } from '@dozen/contracts';
import { adminTokenPath, defaultDataDir } from '@dozen/contracts/node';
import { readCredential } from './credentials.js';

/** Everything the CLI takes from its environment, read in one place. */
export interface CliContext {
  apiUrl: string;
  token: string | undefined;
  tokenSource: string;
  configDir: string;
  color: boolean;
  stdoutIsTty: boolean;
  stdinIsTty: boolean;
  client(): DozenClient;
  /** The token this CLI would use for another API URL (git's credential helper asks per host). */
  tokenFor(apiUrl: string): string | undefined;
  /** The argv that runs this CLI again (node and the script), for git's credential helper. */
  selfCommand: string[];
}

export function readContext(): CliContext {
  const env = process.env;
  const apiUrl = (env.DOZEN_API_URL || 'http://127.0.0.1:7000').replace(/\/+$/, '');
  const configDir = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'dozen') : join(homedir(), '.config', 'dozen');
  const { token, source } = resolveToken(env, apiUrl, configDir);
  const color = Boolean(process.stdout.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  return {
    apiUrl,
    token,
    tokenSource: source,
    configDir,
    color,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stdinIsTty: Boolean(process.stdin.isTTY),
    client: () => new DozenClient({ baseUrl: apiUrl, token, userAgent: 'dozen-cli/0.1.0' }),
    // DOZEN_API_TOKEN belongs to DOZEN_API_URL: another platform never gets it.
    tokenFor: (url) => (url.replace(/\/+$/, '') === apiUrl ? token : resolveToken({ ...env, DOZEN_API_TOKEN: undefined }, url.replace(/\/+$/, ''), configDir).token),
    selfCommand: [process.execPath, process.argv[1] ?? ''],
  };
}

/** DOZEN_API_TOKEN, else the token saved by `dozen login`, else (on the platform host) the admin token file. */
function resolveToken(env: NodeJS.ProcessEnv, apiUrl: string, configDir: string): { token: string | undefined; source: string } {
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

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
