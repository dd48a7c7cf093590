import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { parseEnvFile } from '../../env-file.js';

/** `--env a.env --env b.env` or `--env a.env,b.env`: the files in order (later ones win). */
export function collectEnvFiles(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((f) => f.trim()).filter((f) => f !== '')];
}

/**
 * The variables of the .env files: `.env` of the working directory when none is named (and only
 * if it exists); a named file that is missing is an error. Every file is parsed before any is used.
 */
export function readEnvFiles(cwd: string, files: string[] | undefined): Record<string, string> {
  const named = files !== undefined && files.length > 0;
  const vars: Record<string, string> = {};
  for (const file of named ? files : ['.env']) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      if (!named && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new DozenError('ENV_FILE_INVALID', `Cannot read ${file}: ${(error as Error).message}.`, { hint: 'Name an existing file with --env FILE.' });
    }
    Object.assign(vars, parseEnvFile(text, file));
  }
  return vars;
}

/** The environment of `dozen dev` processes: this shell's, then the .env files over it. */
export function devEnvironment(inherited: Record<string, string>, cwd: string, files: string[] | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { ...inherited, ...readEnvFiles(cwd, files), ...extra };
}

/** DOZEN_GRACE_PERIOD (seconds, the platform's setting, default 30), or --grace. */
export function graceMsOf(option: string | undefined, env: Record<string, string | undefined>): number {
  const text = option ?? env.DOZEN_GRACE_PERIOD ?? '30';
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds > 3600) {
    throw new DozenError('CLI_USAGE', `${option === undefined ? 'DOZEN_GRACE_PERIOD' : '--grace'} ${JSON.stringify(text)} is not a number of seconds (0-3600).`, { hint: 'Give the grace period in seconds, e.g. --grace 10.' });
  }
  return seconds * 1000;
}
