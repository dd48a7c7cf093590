import { DozenError } from '@dozen/contracts/errors';
import type { AppEnvVar, AppManifest } from './model.js';

/**
 * The parts of app.json that review apps use (issue 17): `environments.review.env`, which
 * overrides `env` for a review app, and `addons`, provisioned for each review app (other apps
 * attach their backing services themselves: app.json never provisions in production).
 */
export function readReviewParts(root: Record<string, unknown>, readEnv: (value: unknown, path: string) => Record<string, AppEnvVar>): Pick<AppManifest, 'reviewEnv' | 'addons'> {
  const parts: Pick<AppManifest, 'reviewEnv' | 'addons'> = {};
  const review = objectAt(objectAt(root.environments, 'environments')?.review, 'environments.review');
  if (review?.env !== undefined) parts.reviewEnv = readEnv(review.env, 'environments.review.env');
  if (root.addons !== undefined) parts.addons = readAddons(root.addons);
  return parts;
}

/** `"addons": ["postgres", "redis:mini", { "plan": "postgres", "as": "ANALYTICS_DB" }]`. */
function readAddons(value: unknown): NonNullable<AppManifest['addons']> {
  if (!Array.isArray(value)) throw invalid('addons', 'must be a list', value);
  return value.map((entry: unknown, index) => {
    const path = `addons[${index}]`;
    const spec = typeof entry === 'string' ? { plan: entry } : objectAt(entry, path);
    if (!spec || typeof spec.plan !== 'string' || !/^[a-z][a-z0-9-]*(:[a-z0-9-]+)?$/.test(spec.plan)) {
      throw invalid(`${path}.plan`, 'must be a provider, or provider:plan (such as postgres or redis:mini)', spec?.plan ?? entry);
    }
    if (spec.as !== undefined && (typeof spec.as !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(spec.as))) throw invalid(`${path}.as`, 'must be an attachment name such as DATABASE', spec.as);
    const [provider, plan] = spec.plan.split(':') as [string, string | undefined];
    return { provider, ...(plan === undefined ? {} : { plan }), ...(typeof spec.as === 'string' ? { as: spec.as } : {}) };
  });
}

function objectAt(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'must be an object', value);
  return value as Record<string, unknown>;
}

function invalid(path: string, rule: string, value: unknown): DozenError {
  const shown = JSON.stringify(value) ?? 'nothing';
  return new DozenError('APP_JSON_INVALID', `app.json: ${path} ${rule} (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}).`);
}
