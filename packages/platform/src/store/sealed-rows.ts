import type { Kysely } from 'kysely';
import type { Addon, AddonResource, Drain, Release } from '../core/model.js';
import type { Database } from './schema.js';
import { addonFieldName, drainUrlName, type SecretFields } from './secret-fields.js';

/**
 * The model's secret fields, sealed for the store and opened for the core: config values of a
 * release, an add-on's URL and the secret fields of its resource, a drain's URL. Everything else
 * (names, ids, config var names) stays readable.
 */
export interface Sealing {
  fields: SecretFields;
  db: Kysely<Database>;
  /** False inside a transaction: keys read there are not cached. */
  cache: boolean;
}

/** Resource fields that hold credentials (none of today's providers has one; a future one may). */
const SECRET_RESOURCE_FIELD = /pass|secret|token|credential|private|key$/i;

export async function sealRelease(s: Sealing, release: Release): Promise<Release> {
  return { ...release, config: await s.fields.sealConfig(s.db, release.appId, release.config, s.cache) };
}

export async function openRelease(s: Sealing, release: Release): Promise<Release> {
  return { ...release, config: await s.fields.openConfig(s.db, release.appId, release.config, s.cache) };
}

export async function sealAddon(s: Sealing, addon: Addon): Promise<Addon> {
  return { ...addon, url: await sealAddonUrl(s, addon.appId, addon.id, addon.url), resource: await mapSecretResource(addon.resource, (field, value) => s.fields.seal(s.db, addon.appId, addonFieldName(addon.id, field), value, s.cache)) };
}

export function sealAddonUrl(s: Sealing, ownerAppId: string, addonId: string, url: string): Promise<string> {
  return s.fields.seal(s.db, ownerAppId, addonFieldName(addonId, 'url'), url, s.cache);
}

export async function openAddon(s: Sealing, addon: Addon): Promise<Addon> {
  const open = (field: string, value: string) => s.fields.open(s.db, addon.appId, addonFieldName(addon.id, field), value, s.cache);
  return { ...addon, url: await open('url', addon.url), resource: await mapSecretResource(addon.resource, open) };
}

export async function sealDrain(s: Sealing, drain: Drain): Promise<{ url: string; urlDigest: string }> {
  return {
    url: await s.fields.seal(s.db, drain.appId, drainUrlName(drain.id), drain.url, s.cache),
    urlDigest: await s.fields.digest(s.db, drain.appId, drain.url, s.cache),
  };
}

export async function openDrain(s: Sealing, drain: Drain): Promise<Drain> {
  return { ...drain, url: await s.fields.open(s.db, drain.appId, drainUrlName(drain.id), drain.url, s.cache) };
}

/** Whether the resource field `name` holds a credential (and is sealed). */
export function isSecretResourceField(name: string): boolean {
  return SECRET_RESOURCE_FIELD.test(name);
}

async function mapSecretResource(resource: AddonResource, map: (field: string, value: string) => Promise<string>): Promise<AddonResource> {
  const mapped: AddonResource = {};
  for (const [field, value] of Object.entries(resource)) mapped[field] = isSecretResourceField(field) ? await map(field, value) : value;
  return mapped;
}
