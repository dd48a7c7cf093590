import { DozenClient } from '@dozen/contracts/client';
import { isPlatformEnv } from '@dozen/contracts/node';
import { apiUrlOf, configDirOf, resolveToken } from './token-source.js';

/** Everything the CLI takes from its environment, read in one place. */
export interface CliContext {
  apiUrl: string;
  token: string | undefined;
  tokenSource: string;
  configDir: string;
  color: boolean;
  stdoutIsTty: boolean;
  stdinIsTty: boolean;
  /** The terminal type, passed on to `dozen run` sessions on a terminal. */
  term: string;
  /** DOZEN_PASSWORD: `dozen login` reads it instead of asking (scripts, tests). */
  password: string | undefined;
  /** DOZEN_APP: the app of commands run without -a (before the git remote). */
  defaultApp: string | undefined;
  /** The whole environment, for what the CLI starts with it: `dozen dev` processes, `config:edit`'s $EDITOR. */
  environment: Record<string, string>;
  /** The variables of this environment that the platform reads (`dozen service:install`). */
  platformEnv: Record<string, string>;
  client(): DozenClient;
}

export function readContext(): CliContext {
  const env = process.env;
  const apiUrl = apiUrlOf(env);
  const configDir = configDirOf(env);
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
    term: env.TERM || 'xterm',
    password: env.DOZEN_PASSWORD || undefined,
    defaultApp: env.DOZEN_APP || undefined,
    environment: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    platformEnv: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => isPlatformEnv(e[0]) && e[1] !== undefined && e[1] !== '')),
    client: () => new DozenClient({ baseUrl: apiUrl, token, userAgent: 'dozen-cli/0.1.0' }),
  };
}
