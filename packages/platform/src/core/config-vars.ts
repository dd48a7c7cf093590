import { DozenError } from '@dozen/contracts/errors';
import { CONFIG_KEY_PATTERN } from './names.js';
import type { ConfigVars } from './model.js';

/** Heroku's limit: keys and values together. */
export const CONFIG_MAX_BYTES = 32 * 1024;
const RESERVED_KEYS = new Set(['PORT']);
const RESERVED_PREFIX = 'DOZEN_';

/** Pure: the config that results from applying `changes` (null unsets), validated. */
export function applyConfigChanges(current: ConfigVars, changes: Record<string, string | null>): ConfigVars {
  const next: ConfigVars = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    assertConfigKey(key);
    if (value === null) {
      delete next[key];
      continue;
    }
    if (value.includes('\u0000')) {
      throw new DozenError('CONFIG_VALUE_INVALID', `The value of ${key} contains a NUL byte, which no process environment can hold.`);
    }
    next[key] = value;
  }
  const size = configSize(next);
  if (size > CONFIG_MAX_BYTES) {
    throw new DozenError('CONFIG_TOO_LARGE', `Config vars would take ${size} bytes, over the limit of ${CONFIG_MAX_BYTES} bytes.`);
  }
  return next;
}

export function assertConfigKey(key: string): void {
  if (!CONFIG_KEY_PATTERN.test(key)) {
    throw new DozenError('CONFIG_KEY_INVALID', `Config key ${JSON.stringify(key)} is not valid: it must match ${CONFIG_KEY_PATTERN.source}.`);
  }
  if (RESERVED_KEYS.has(key) || key.startsWith(RESERVED_PREFIX)) {
    throw new DozenError('CONFIG_KEY_RESERVED', `Config key ${key} is reserved: the platform sets it for every process.`);
  }
}

export function configSize(config: ConfigVars): number {
  let size = 0;
  for (const [key, value] of Object.entries(config)) size += utf8Length(key) + utf8Length(value);
  return size;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
