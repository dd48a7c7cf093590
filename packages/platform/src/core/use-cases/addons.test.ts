import { testCoreSettings } from '../../test-support/core-settings.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { openSqliteStore } from '../../store/sqlite.js';
import { testSecrets } from '../../test-support/sealer.js';
import { AppLocks } from '../app-locks.js';
import type { ActingDeps } from '../deps.js';
import type { AddonProvider, AddonProviders, ProvisionRequest } from '../ports/addons.js';
import type { Runtime, RunTarget } from '../ports/runtime.js';
import { addonInfo, createAddon, destroyAddon, rotateAddonCredentials } from './addons.js';
import { destroyApp } from './apps.js';
import { attachAddon, detachAddon } from './attachments.js';
import { getConfig, updateConfig } from './config-vars.js';
import { rollback } from './releases.js';

/** The add-on use cases over a real (in-memory) store, with a provider and a runtime that record calls and fail on demand. */
class RecordingProvider implements AddonProvider {
  readonly name = 'postgres';
  readonly plans = ['dev'];
  readonly defaultConfigVar = 'DATABASE_URL';
  provisioned: ProvisionRequest[] = [];
  deprovisioned: string[] = [];
  failProvision = false;
  async provision(request: ProvisionRequest) {
    if (this.failProvision) throw new DozenError('ADDON_PROVISION_FAILED', 'disk full. Nothing was left behind.');
    this.provisioned.push(request);
    return { url: `postgres://u:${request.addonId}@127.0.0.1:5432/d`, resource: { database: request.addonId } };
  }
  async deprovision(resource: Record<string, string>) {
    this.deprovisioned.push(resource.database as string);
  }
  async info() {
    return { database: 'd' };
  }
  async rotateCredentials(resource: Record<string, string>) {
    return { url: 'postgres://u:rotated@127.0.0.1:5432/d', resource };
  }
}

let deps: ActingDeps;
let provider: RecordingProvider;
let rollouts: RunTarget[];
let failRollout: boolean;
/** Only these apps' rollouts fail (empty: failRollout decides for all). */
let failingApps: string[];
let ids = 0;

beforeEach(async () => {
  provider = new RecordingProvider();
  rollouts = [];
  failRollout = false;
  failingApps = [];
  const runtime = {
    converge: () => undefined,
    rollout: async (target: RunTarget) => {
      if (failRollout || failingApps.includes(target.app)) throw new DozenError('RELEASE_BOOT_FAILED', 'web.1 exited with exit code 1 before binding PORT.');
      rollouts.push(target);
    },
    list: () => [],
    remove: async () => undefined,
  } as unknown as Runtime;
  const addons: AddonProviders = { get: (name) => (name === 'postgres' ? provider : undefined), names: () => ['postgres'], client: () => ({ command: [], env: {} }) };
  deps = {
    store: await openSqliteStore(':memory:', testSecrets()),
    runtime,
    addons,
    builder: { removeApp: async () => undefined },
    logs: { append: () => undefined, recent: () => [], subscribe: () => () => undefined, forget: () => undefined },
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    ids: { next: () => `id${(ids++).toString().padStart(8, '0')}` },
    locks: new AppLocks(),
    domainRoutes: { setDomains: () => undefined, setMaintenance: () => undefined },
    tlsRoutes: { setCertificates: () => undefined, setHttpsPolicy: () => undefined },
    acme: null,
    git: { removeRepository: async () => undefined },
    settings: testCoreSettings(),
    gc: { kick: () => undefined, stop: async () => undefined },
    cron: { trigger: () => Promise.reject(new Error('no scheduler here')), stop: () => undefined },
    actor: 'admin',
  } as unknown as ActingDeps;
  for (const name of ['web', 'api']) await deployed(name);
});

/** An app with a slug and release v1, so that every release rolls out. */
async function deployed(name: string): Promise<void> {
  const appId = `app-${name}`;
  await deps.store.insertApp({ id: appId, name, createdAt: '2026-01-01T00:00:00Z', currentRelease: null });
  await deps.store.insertSlug({ id: `slug-${name}`, appId, buildId: 'b', processTypes: { web: 'node web.js' }, buildpack: 'node', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00Z' });
  await deps.store.insertRelease({ id: `r-${name}`, appId, version: 1, slugId: `slug-${name}`, buildId: 'b', config: { GREETING: 'hi' }, description: 'Deploy', status: 'succeeded', failure: null, commit: null, createdAt: '2026-01-01T00:00:00Z' });
  await deps.store.setCurrentRelease(appId, 1);
}

describe('creating an add-on', () => {
  it('provisions, attaches and rolls out a release whose config has the URL', async () => {
    const { view, release } = await createAddon(deps, 'web', { provider: 'postgres' });
    expect(release).toMatchObject({ version: 2, addonVars: ['DATABASE_URL'], config: { GREETING: 'hi', DATABASE_URL: view.addon.url } });
    expect(rollouts.at(-1)?.config.DATABASE_URL).toBe(view.addon.url);
    expect(view.attachments).toEqual([{ app: 'web', name: 'DATABASE_URL', createdAt: '2026-01-01T00:00:00.000Z' }]);
  });

  it('whose release does not boot: takes back the attachment and the add-on, and deprovisions it', async () => {
    failRollout = true;
    await expect(createAddon(deps, 'web', { provider: 'postgres' })).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED' });
    expect(provider.deprovisioned).toEqual([provider.provisioned[0]?.addonId]);
    expect(await deps.store.listAddons()).toEqual([]);
    expect(await deps.store.listAttachments({ appId: 'app-web' })).toEqual([]);
    expect(await getConfig(deps, 'web')).toEqual({ GREETING: 'hi' });
  });

  it('that the provider cannot make (a full disk): records nothing and makes no release', async () => {
    provider.failProvision = true;
    await expect(createAddon(deps, 'web', { provider: 'postgres' })).rejects.toMatchObject({ code: 'ADDON_PROVISION_FAILED' });
    expect(await deps.store.listAddons()).toEqual([]);
    expect(await deps.store.latestReleaseVersion('app-web')).toBe(1);
  });

  it('refuses unknown providers and plans, bad names, and a name the user set, before provisioning anything', async () => {
    await expect(createAddon(deps, 'web', { provider: 'mysql' })).rejects.toMatchObject({ code: 'ADDON_PROVIDER_UNKNOWN' });
    await expect(createAddon(deps, 'web', { provider: 'postgres', plan: 'huge' })).rejects.toMatchObject({ code: 'ADDON_PLAN_UNKNOWN' });
    await expect(createAddon(deps, 'web', { provider: 'postgres', as: 'not-valid' })).rejects.toMatchObject({ code: 'ADDON_ATTACHMENT_NAME_INVALID' });
    await updateConfig(deps, 'web', { DATABASE_URL: 'postgres://mine' });
    await expect(createAddon(deps, 'web', { provider: 'postgres' })).rejects.toMatchObject({ code: 'ADDON_ATTACHMENT_NAME_TAKEN' });
    expect(provider.provisioned).toEqual([]);
  });
});

describe('attachments', () => {
  it('are the add-on\'s vars: config:set cannot change them; a failed detach leaves them attached', async () => {
    const { view } = await createAddon(deps, 'web', { provider: 'postgres' });
    await expect(updateConfig(deps, 'web', { DATABASE_URL: 'x' })).rejects.toMatchObject({ code: 'CONFIG_VAR_ATTACHED' });
    failRollout = true;
    await expect(detachAddon(deps, 'web', 'DATABASE_URL')).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED' });
    expect((await deps.store.listAttachments({ appId: 'app-web' })).map((a) => a.name)).toEqual(['DATABASE_URL']);
    expect((await getConfig(deps, 'web')).DATABASE_URL).toBe(view.addon.url);
  });

  it('to a second app; destroy stops at an app whose release fails, and then deletes nothing', async () => {
    const { view } = await createAddon(deps, 'web', { provider: 'postgres' });
    await attachAddon(deps, 'api', view.addon.name, 'SHARED_URL');
    await expect(attachAddon(deps, 'api', view.addon.name, 'SHARED_URL')).rejects.toMatchObject({ code: 'ADDON_ATTACHMENT_NAME_TAKEN' });
    await expect(destroyAddon(deps, 'api', view.addon.name, 'api')).rejects.toMatchObject({ code: 'ADDON_OWNED_ELSEWHERE' });
    await expect(destroyAddon(deps, 'web', view.addon.name, undefined)).rejects.toMatchObject({ code: 'ADDON_DESTROY_UNCONFIRMED' });
    failRollout = true;
    await expect(destroyAddon(deps, 'web', view.addon.name, 'web')).rejects.toMatchObject({ code: 'RELEASE_BOOT_FAILED' });
    expect(provider.deprovisioned).toEqual([]);
    expect((await addonInfo(deps, 'api', 'SHARED_URL')).view.attachments.length).toBeGreaterThan(0);
    failRollout = false;
    const destroyed = await destroyAddon(deps, 'web', 'DATABASE_URL', 'web');
    expect(destroyed.releases.map((r) => r.app.name).sort()).toEqual(['api', 'web']);
    expect(provider.deprovisioned).toEqual([view.addon.id]);
    expect(await getConfig(deps, 'api')).not.toHaveProperty('SHARED_URL');
  });

  it('rotated: every attached app gets a release with the new URL, even after one of them fails, which is reported by name', async () => {
    const { view } = await createAddon(deps, 'web', { provider: 'postgres' });
    await attachAddon(deps, 'api', view.addon.name, 'SHARED_URL');
    failingApps = ['web'];
    const error = await rotateAddonCredentials(deps, 'web', view.addon.name).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_ROTATE_INCOMPLETE' });
    expect((error as Error).message).toContain('failed for: web (web.1 exited with exit code 1 before binding PORT.)');
    expect((error as Error).message).toContain('Released: api v');
    expect((await getConfig(deps, 'api')).SHARED_URL).toBe('postgres://u:rotated@127.0.0.1:5432/d');
    expect((await deps.store.findAddonById(view.addon.id))?.url).toBe('postgres://u:rotated@127.0.0.1:5432/d');
    failingApps = [];
    const again = await rotateAddonCredentials(deps, 'web', view.addon.name);
    expect(again.releases.map((r) => r.app.name).sort()).toEqual(['api', 'web']);
    expect((await getConfig(deps, 'web')).DATABASE_URL).toBe('postgres://u:rotated@127.0.0.1:5432/d');
  });

  it('are not rolled back: a rollback keeps today\'s add-ons and drops the vars of detached ones', async () => {
    const first = await createAddon(deps, 'web', { provider: 'postgres', as: 'OLD_URL' });
    await detachAddon(deps, 'web', 'OLD_URL');
    await createAddon(deps, 'web', { provider: 'postgres' });
    await rollback(deps, 'web', 2);
    const config = await getConfig(deps, 'web');
    expect(config).not.toHaveProperty('OLD_URL');
    expect(config.DATABASE_URL).toMatch(/^postgres:/);
    expect(config.GREETING).toBe('hi');
    expect(first.view.addon.name).toMatch(/^postgres-/);
  });
});

describe('destroying an app', () => {
  it('destroys the add-ons it owns (detached from other apps first) and drops its attachments to others', async () => {
    const owned = await createAddon(deps, 'web', { provider: 'postgres' });
    await attachAddon(deps, 'api', owned.view.addon.name, 'WEB_DATABASE_URL');
    const theirs = await createAddon(deps, 'api', { provider: 'postgres' });
    await attachAddon(deps, 'web', theirs.view.addon.name, 'API_DATABASE_URL');
    await destroyApp(deps, 'web', 'web');
    expect(provider.deprovisioned).toEqual([owned.view.addon.id]);
    expect((await deps.store.listAddons()).map((a) => a.name)).toEqual([theirs.view.addon.name]);
    expect((await deps.store.listAttachments({ addonId: theirs.view.addon.id })).map((a) => a.name)).toEqual(['DATABASE_URL']);
    expect(await getConfig(deps, 'api')).not.toHaveProperty('WEB_DATABASE_URL');
  });
});
