import { DozenClient } from '@dozen/contracts/client';
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
    client: () => new DozenClient({ baseUrl: apiUrl, token, userAgent: 'dozen-cli/0.1.0' }),
  };
}
