import { randomBytes } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { AppManifest, ConfigVars } from './model.js';

/**
 * app.json `env` at deploy time. Apps are created before their first deploy, so Dozen applies
 * app.json on every deploy, to the config vars that are not set: a `value` becomes the default,
 * `"generator": "secret"` a random secret; set values are never changed. A required var without
 * a value that is still not set fails the deploy before anything is released.
 */
export function applyAppJsonEnv(current: ConfigVars, manifest: AppManifest, secret: () => string = () => randomBytes(32).toString('hex')): { config: ConfigVars; applied: string[] } {
  const config = { ...current };
  const applied: string[] = [];
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(manifest.env)) {
    if (Object.hasOwn(config, key)) continue;
    if (entry.value !== null) config[key] = entry.value;
    else if (entry.generator === 'secret') config[key] = secret();
    else {
      if (entry.required) missing.push(key);
      continue;
    }
    applied.push(key);
  }
  if (missing.length > 0) {
    throw new DozenError('APP_JSON_ENV_MISSING', `app.json requires config vars that are not set: ${missing.join(', ')}.`);
  }
  return { config, applied };
}
