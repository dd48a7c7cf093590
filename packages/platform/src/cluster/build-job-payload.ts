import type { App, AppUser, ConfigVars } from '../core/model.js';
import type { CheckContext } from '../core/scorecard/source-snapshot.js';
import type { KyselyStore } from '../store/kysely-store.js';

/**
 * What a `build` job carries from the api to a builder: all a BuildRequest holds but its streams.
 * Config values travel sealed (as the store keeps them: the app's data key), never in plain text
 * in the queue's table; the source is the artefact `source/<buildId>`.
 */
export interface BuildJobPayload {
  app: App;
  buildId: string;
  config: ConfigVars;
  buildpacks: string[];
  user: AppUser;
  scorecard: CheckContext | null;
}

/** A `copySlug` job: a promotion's slug copied for another app on a builder (its files owned by the target). */
export interface CopySlugJobPayload {
  from: { appId: string; slugId: string };
  to: { appId: string; slugId: string };
  owner: AppUser | null;
}

/** Seals and opens config values for the queue (the store's data keys, store/secret-fields.ts). */
export interface ConfigSealing {
  seal(appId: string, config: ConfigVars): Promise<ConfigVars>;
  open(appId: string, config: ConfigVars): Promise<ConfigVars>;
}

export function storeConfigSealing(store: KyselyStore): ConfigSealing {
  return {
    seal: (appId, config) => store.fields.sealConfig(store.kysely, appId, config, true),
    open: (appId, config) => store.fields.openConfig(store.kysely, appId, config, true),
  };
}

export async function sealPayload(sealing: ConfigSealing, payload: BuildJobPayload): Promise<BuildJobPayload> {
  const scorecard = payload.scorecard && { ...payload.scorecard, config: await sealing.seal(payload.app.id, payload.scorecard.config) };
  return { ...payload, config: await sealing.seal(payload.app.id, payload.config), scorecard };
}

export async function openPayload(sealing: ConfigSealing, payload: BuildJobPayload): Promise<BuildJobPayload> {
  const scorecard = payload.scorecard && { ...payload.scorecard, config: await sealing.open(payload.app.id, payload.scorecard.config) };
  return { ...payload, config: await sealing.open(payload.app.id, payload.config), scorecard };
}
