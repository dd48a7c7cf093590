import { DozenError } from '@dozen/contracts/errors';
import type { AppEnvVar, AppJsonCronEntry, AppManifest, HealthCheck } from './model.js';
import { CONFIG_KEY_PATTERN, PROCESS_TYPE_PATTERN } from './names.js';
import { parseCron } from './cron-expression.js';
import { readReviewParts } from './app-json-review.js';

/** Everything a build takes from app.json (Heroku's format, plus Dokku's `healthchecks`). */
export interface AppJson {
  manifest: AppManifest;
  buildpacks: string[];
  healthchecks: Record<string, HealthCheck[]>;
  warnings: string[];
}

export const EMPTY_MANIFEST: AppManifest = { env: {}, formation: {}, postdeploy: null };

// Keys of Heroku's schema that Dozen reads, and those it knows but does not use (no warning).
const USED = ['env', 'formation', 'buildpacks', 'scripts', 'healthchecks', 'cron', 'environments', 'addons'];
const IGNORED = ['name', 'description', 'keywords', 'website', 'repository', 'logo', 'success_url', 'stack', 'image'];

/** As `dozen cron:add` allows (core/use-cases/cron-jobs.ts). */
const MAX_CRON_JOBS = 50;

const HEALTHCHECK_DEFAULTS = { attempts: 5, timeout: 5, wait: 5, initialDelay: 0 };

/** Validates parsed app.json. Unknown keys are warnings; invalid values are errors naming the JSON path. */
export function readAppJson(value: unknown): AppJson {
  const warnings: string[] = [];
  const root = object(value, '(root)');
  for (const key of Object.keys(root)) {
    if (IGNORED.includes(key)) continue;
    if (!USED.includes(key)) warnings.push(`app.json: unknown key ${JSON.stringify(key)} is ignored`);
  }
  if (root.addons !== undefined) warnings.push('app.json: addons are provisioned for review apps only; attach the backing services of other apps with `dozen addons:create`');
  return {
    manifest: { env: readEnv(root.env), ...readFormation(root.formation), postdeploy: readScripts(root.scripts, warnings), cron: readCron(root.cron), ...readReviewParts(root, readEnv) },
    buildpacks: readBuildpacks(root.buildpacks),
    healthchecks: readHealthchecks(root.healthchecks, warnings),
    warnings,
  };
}

/** Dokku's `cron`: `[{"command": "...", "schedule": "..."}]`; a schedule that does not parse names its field. */
function readCron(value: unknown): AppJsonCronEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('cron', 'must be an array of {"command", "schedule"}', value);
  if (value.length > MAX_CRON_JOBS) throw invalid('cron', `has ${value.length} entries, at most ${MAX_CRON_JOBS} are allowed`, value.length);
  return value.map((raw, i) => {
    const entry = object(raw, `cron[${i}]`);
    if (typeof entry.command !== 'string' || entry.command.trim() === '' || entry.command.includes('\u0000')) throw invalid(`cron[${i}].command`, 'must be a non-empty string', entry.command);
    if (typeof entry.schedule !== 'string') throw invalid(`cron[${i}].schedule`, 'must be a string', entry.schedule);
    try {
      parseCron(entry.schedule);
    } catch (error) {
      throw new DozenError('APP_JSON_INVALID', `app.json: cron[${i}].schedule: ${(error as Error).message}`, { hint: (error as DozenError).hint });
    }
    return { command: entry.command, schedule: entry.schedule.trim() };
  });
}

function invalid(path: string, rule: string, value: unknown): DozenError {
  const shown = JSON.stringify(value);
  return new DozenError('APP_JSON_INVALID', `app.json: ${path} ${rule} (got ${shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}).`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'must be an object', value);
  return value as Record<string, unknown>;
}

function readEnv(value: unknown, at = 'env'): Record<string, AppEnvVar> {
  if (value === undefined) return {};
  const env: Record<string, AppEnvVar> = {};
  for (const [key, raw] of Object.entries(object(value, at))) {
    const path = `${at}.${key}`;
    if (!CONFIG_KEY_PATTERN.test(key) || key === 'PORT' || key.startsWith('DOZEN_')) throw invalid(at, `has the key ${JSON.stringify(key)}, which is not a valid config var name`, key);
    if (typeof raw === 'string') {
      env[key] = { value: raw, generator: null, required: true };
      continue;
    }
    const entry = object(raw, path);
    if (entry.value !== undefined && typeof entry.value !== 'string') throw invalid(`${path}.value`, 'must be a string', entry.value);
    if (entry.generator !== undefined && entry.generator !== 'secret') throw invalid(`${path}.generator`, 'must be "secret"', entry.generator);
    if (entry.required !== undefined && typeof entry.required !== 'boolean') throw invalid(`${path}.required`, 'must be true or false', entry.required);
    env[key] = { value: (entry.value as string | undefined) ?? null, generator: entry.generator === 'secret' ? 'secret' : null, required: entry.required !== false };
  }
  return env;
}

/** `formation.<type>.quantity` (default 1) and `.size` (a size's name; checked when it runs). */
function readFormation(value: unknown): Pick<AppManifest, 'formation' | 'sizes'> {
  if (value === undefined) return { formation: {} };
  const formation: Record<string, number> = {};
  const sizes: Record<string, string> = {};
  for (const [type, raw] of Object.entries(object(value, 'formation'))) {
    if (!PROCESS_TYPE_PATTERN.test(type)) throw invalid('formation', `has the process type ${JSON.stringify(type)}, which must match ${PROCESS_TYPE_PATTERN.source}`, type);
    const entry = object(raw, `formation.${type}`);
    const quantity = entry.quantity ?? 1;
    if (!Number.isInteger(quantity) || (quantity as number) < 0 || (quantity as number) > 100) throw invalid(`formation.${type}.quantity`, 'must be a whole number from 0 to 100', quantity);
    formation[type] = quantity as number;
    if (entry.size === undefined) continue;
    if (typeof entry.size !== 'string' || !SIZE_PATTERN.test(entry.size)) throw invalid(`formation.${type}.size`, 'must be a process size such as standard-1x or standard-2x', entry.size);
    sizes[type] = entry.size;
  }
  return Object.keys(sizes).length > 0 ? { formation, sizes } : { formation };
}

const SIZE_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

function readScripts(value: unknown, warnings: string[]): string | null {
  if (value === undefined) return null;
  const scripts = object(value, 'scripts');
  for (const key of Object.keys(scripts)) if (key !== 'postdeploy') warnings.push(`app.json: scripts.${key} is not run by Dozen`);
  const postdeploy = scripts.postdeploy;
  if (postdeploy === undefined) return null;
  if (typeof postdeploy === 'string' && postdeploy.trim() !== '') return postdeploy;
  const command = typeof postdeploy === 'object' && postdeploy !== null ? (postdeploy as { command?: unknown }).command : undefined;
  if (typeof command === 'string' && command.trim() !== '') return command;
  throw invalid('scripts.postdeploy', 'must be a command (a non-empty string, or { "command": "..." })', postdeploy);
}

function readBuildpacks(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('buildpacks', 'must be an array of { "url": "..." }', value);
  return value.map((entry, i) => {
    const url = object(entry, `buildpacks[${i}]`).url;
    if (typeof url !== 'string' || url.trim() === '' || url.length > 1024) throw invalid(`buildpacks[${i}].url`, 'must be a buildpack name, path or git URL', url);
    return url.trim();
  });
}

function readHealthchecks(value: unknown, warnings: string[]): Record<string, HealthCheck[]> {
  if (value === undefined) return {};
  const result: Record<string, HealthCheck[]> = {};
  for (const [type, list] of Object.entries(object(value, 'healthchecks'))) {
    if (!PROCESS_TYPE_PATTERN.test(type)) throw invalid('healthchecks', `has the process type ${JSON.stringify(type)}, which must match ${PROCESS_TYPE_PATTERN.source}`, type);
    if (!Array.isArray(list)) throw invalid(`healthchecks.${type}`, 'must be an array of checks', list);
    result[type] = list.flatMap((raw, i) => readHealthcheck(raw, `healthchecks.${type}[${i}]`, warnings));
  }
  return result;
}

function readHealthcheck(raw: unknown, path: string, warnings: string[]): HealthCheck[] {
  const entry = object(raw, path);
  const type = entry.type ?? 'startup';
  if (type !== 'startup') {
    if (type === 'liveness' || type === 'readiness') {
      warnings.push(`app.json: ${path} is a ${type} check; Dozen runs startup checks only, so it is ignored`);
      return [];
    }
    throw invalid(`${path}.type`, 'must be "startup", "liveness" or "readiness"', type);
  }
  const known = ['type', 'name', 'description', 'path', 'attempts', 'timeout', 'wait', 'initialDelay'];
  for (const key of Object.keys(entry)) if (!known.includes(key)) warnings.push(`app.json: ${path}.${key} is not supported and is ignored`);
  const path_ = entry.path ?? '/';
  if (typeof path_ !== 'string' || !path_.startsWith('/') || /[\s\u0000-\u001f]/.test(path_)) throw invalid(`${path}.path`, 'must be a URL path starting with /', path_);
  if (entry.name !== undefined && typeof entry.name !== 'string') throw invalid(`${path}.name`, 'must be a string', entry.name);
  const number = (key: keyof typeof HEALTHCHECK_DEFAULTS, min: number, max: number): number => {
    const v = entry[key] ?? HEALTHCHECK_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(`${path}.${key}`, `must be a whole number from ${min} to ${max}`, v);
    return v;
  };
  return [
    {
      type: 'startup',
      name: (entry.name as string | undefined) ?? `${path_} check`,
      path: path_,
      attempts: number('attempts', 1, 100),
      timeoutSeconds: number('timeout', 1, 600),
      waitSeconds: number('wait', 0, 600),
      initialDelaySeconds: number('initialDelay', 0, 3600),
    },
  ];
}
