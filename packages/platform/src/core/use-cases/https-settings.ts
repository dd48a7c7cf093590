import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { HttpsSettings } from '../ports/certificates-store.js';
import type { HttpsPolicy } from '../ports/tls-routes.js';
import { requireApp } from './require-app.js';
import { platformEvent } from './platform-event.js';

/** Two years: what the HSTS preload list asks for, and the most Dozen accepts. */
export const MAX_HSTS_SECONDS = 63_072_000;
export const DEFAULT_HTTPS: HttpsSettings = { mode: 'http', hstsMaxAge: null };

export async function getHttps(deps: CoreDeps, appName: string): Promise<HttpsSettings> {
  const app = await requireApp(deps, appName);
  return (await deps.store.getHttpsSettings(app.id)) ?? DEFAULT_HTTPS;
}

/** Changes what is given (mode, HSTS max-age or null for none); the router applies it to the next request. */
export async function setHttps(deps: ActingDeps, appName: string, change: Partial<HttpsSettings>): Promise<HttpsSettings> {
  const app = await requireApp(deps, appName);
  if (change.mode !== undefined && change.mode !== 'http' && change.mode !== 'redirect') throw new DozenError('HTTPS_SETTINGS_INVALID', `Mode ${JSON.stringify(change.mode)} is neither http nor redirect.`);
  const age = change.hstsMaxAge;
  if (age !== undefined && age !== null && (!Number.isInteger(age) || age < 0 || age > MAX_HSTS_SECONDS)) {
    throw new DozenError('HTTPS_SETTINGS_INVALID', `HSTS max-age ${age} is not a whole number of seconds from 0 to ${MAX_HSTS_SECONDS}.`);
  }
  return deps.locks.run(`https:${app.id}`, async () => {
    const settings: HttpsSettings = { ...((await deps.store.getHttpsSettings(app.id)) ?? DEFAULT_HTTPS), ...change };
    await deps.store.setHttpsSettings(app.id, settings);
    deps.tlsRoutes.setHttpsPolicy(app.name, toPolicy(settings));
    platformEvent(deps, app.name, 'api', `HTTPS set to ${describeHttps(settings)} by ${deps.actor}`);
    return settings;
  });
}

/** At start: every app's HTTPS policy to the router. */
export async function routeAllHttpsPolicies(deps: CoreDeps): Promise<void> {
  const all = await deps.store.listHttpsSettings();
  for (const app of await deps.store.listApps()) {
    const settings = all.get(app.id);
    if (settings !== undefined) deps.tlsRoutes.setHttpsPolicy(app.name, toPolicy(settings));
  }
}

export function describeHttps(settings: HttpsSettings): string {
  return `${settings.mode}${settings.hstsMaxAge === null ? ', no HSTS' : `, HSTS max-age=${settings.hstsMaxAge}`}`;
}

function toPolicy(settings: HttpsSettings): HttpsPolicy {
  return { redirect: settings.mode === 'redirect', hstsMaxAge: settings.hstsMaxAge };
}
