import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { Addon, App } from '../model.js';
import type { AddonBackupInfo } from '../ports/backups.js';
import { resolveAddon } from './attachments.js';
import { backupId } from './backups.js';
import { platformEvent } from './platform-event.js';
import { requireApp } from './require-app.js';

const POSTGRES = ['postgres:', 'postgresql:'];

/** `pg:backups:capture [ADDON] -a APP`: a dump of the add-on's database (default DATABASE_URL). */
export async function capturePgBackup(deps: ActingDeps, appName: string, ref: string | undefined): Promise<AddonBackupInfo> {
  const addon = await postgresAddon(deps, await requireApp(deps, appName), ref);
  const createdAt = deps.clock.now();
  const backup = await deps.backups.addonDumps.capture(addon, backupId(createdAt, deps.ids.next()), createdAt);
  platformEvent(deps, appName, 'api', `Captured backup ${backup.id} of ${addon.name} by ${deps.actor}`);
  return backup;
}

/** `pg:backups -a APP`: the backups of every postgres add-on the app has, newest first. */
export async function listPgBackups(deps: CoreDeps, appName: string): Promise<AddonBackupInfo[]> {
  const app = await requireApp(deps, appName);
  const all: AddonBackupInfo[] = [];
  for (const addon of await postgresAddons(deps, app)) all.push(...(await deps.backups.addonDumps.list(addon.id)));
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** `pg:backups:download ID -a APP`: the dump's bytes. */
export async function openPgBackup(deps: CoreDeps, appName: string, id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> }> {
  const { addon, backup } = await findBackup(deps, await requireApp(deps, appName), id);
  const opened = await deps.backups.addonDumps.open(addon.id, backup.id);
  if (!opened) throw notFound(appName, id);
  return opened;
}

/**
 * `pg:backups:restore [ID] [ADDON] -a APP --confirm APP`: the dump replaces the add-on's database
 * (default: the newest backup of the add-on). Destructive, so confirmed with the app's name.
 */
export async function restorePgBackup(deps: ActingDeps, appName: string, request: { id?: string | undefined; addon?: string | undefined; confirm?: string | undefined }): Promise<AddonBackupInfo & { into: string }> {
  const app = await requireApp(deps, appName);
  const found = request.id === undefined || request.id === 'latest' ? await newestOf(deps, app, request.addon) : await findBackup(deps, app, request.id);
  const target = request.addon === undefined ? found.addon : await postgresAddon(deps, app, request.addon);
  if (request.confirm !== appName) {
    throw new DozenError('BACKUP_RESTORE_UNCONFIRMED', `Restoring ${found.backup.id} replaces every table of ${target.name}, the database of ${appName}; confirm with --confirm ${appName}.`);
  }
  await deps.backups.addonDumps.restore(target, { addonId: found.addon.id, id: found.backup.id });
  platformEvent(deps, appName, 'api', `Restored backup ${found.backup.id} into ${target.name} by ${deps.actor}`);
  return { ...found.backup, into: target.name };
}

async function postgresAddon(deps: CoreDeps, app: App, ref: string | undefined): Promise<Addon> {
  const addon = await resolveAddon(deps, app, ref ?? 'DATABASE_URL');
  const scheme = new URL(addon.url).protocol;
  if (!POSTGRES.includes(scheme)) throw new DozenError('ADDON_CLIENT_MISMATCH', `${addon.name} is a ${scheme.replace(/:$/, '')}:// add-on; pg:backups works on postgres:// ones.`);
  return addon;
}

async function postgresAddons(deps: CoreDeps, app: App): Promise<Addon[]> {
  const ids = new Set((await deps.store.listAttachments({ appId: app.id })).map((a) => a.addonId));
  const addons: Addon[] = [];
  for (const id of ids) {
    const addon = await deps.store.findAddonById(id);
    if (addon && POSTGRES.includes(new URL(addon.url).protocol)) addons.push(addon);
  }
  return addons;
}

async function findBackup(deps: CoreDeps, app: App, id: string): Promise<{ addon: Addon; backup: AddonBackupInfo }> {
  for (const addon of await postgresAddons(deps, app)) {
    const backup = (await deps.backups.addonDumps.list(addon.id)).find((b) => b.id === id);
    if (backup) return { addon, backup };
  }
  throw notFound(app.name, id);
}

async function newestOf(deps: CoreDeps, app: App, ref: string | undefined): Promise<{ addon: Addon; backup: AddonBackupInfo }> {
  const addon = await postgresAddon(deps, app, ref);
  const backup = (await deps.backups.addonDumps.list(addon.id))[0];
  if (!backup) throw new DozenError('BACKUP_NOT_FOUND', `${addon.name} has no backups yet.`, { hint: `Capture one with \`dozen pg:backups:capture -a ${app.name}\`.` });
  return { addon, backup };
}

function notFound(app: string, id: string): DozenError {
  return new DozenError('BACKUP_NOT_FOUND', `${app} has no postgres backup ${JSON.stringify(id)}.`, { hint: `Run \`dozen pg:backups -a ${app}\` to list them.` });
}
