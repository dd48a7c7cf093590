import { join } from 'node:path';
import type { ConfigVars } from '../../core/model.js';

export interface ProcessEnvInput {
  config: ConfigVars;
  app: string;
  process: string;
  release: number;
  slugDir: string;
  nodeBinDir: string;
  port: number | null;
}

/**
 * The whole environment of an app process: a base the app may override (PATH, HOME, LANG), its
 * config vars, then what the platform guarantees. Nothing of the platform's own environment.
 */
export function processEnv(input: ProcessEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    PATH: `${join(input.slugDir, 'node_modules', '.bin')}:${input.nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
    HOME: input.slugDir,
    LANG: 'C.UTF-8',
    ...input.config,
    DOZEN_APP: input.app,
    DOZEN_PROCESS: input.process,
    DOZEN_RELEASE: `v${input.release}`,
  };
  if (input.port !== null) env.PORT = String(input.port);
  return env;
}
