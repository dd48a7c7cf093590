import type { Kysely, Selectable } from 'kysely';
import type { Addon, AddonAttachment } from '../core/model.js';
import type { AddonAttachmentsTable, AddonsTable, Database } from './schema.js';
import { openAddon, sealAddon, sealAddonUrl, type Sealing } from './sealed-rows.js';

/** The add-on half of the Store: add-ons and their attachments, as rows (URLs and credentials sealed). */
export async function insertAddon(s: Sealing, plain: Addon): Promise<void> {
  const addon = await sealAddon(s, plain);
  await s.db
    .insertInto('addons')
    .values({
      id: addon.id,
      name: addon.name,
      provider: addon.provider,
      plan: addon.plan,
      app_id: addon.appId,
      url: addon.url,
      resource: JSON.stringify(addon.resource),
      created_at: addon.createdAt,
    })
    .execute();
}

export async function updateAddonUrl(s: Sealing, addonId: string, url: string): Promise<void> {
  const row = await s.db.selectFrom('addons').select('app_id').where('id', '=', addonId).executeTakeFirst();
  if (row) await s.db.updateTable('addons').set({ url: await sealAddonUrl(s, row.app_id, addonId, url) }).where('id', '=', addonId).execute();
}

export async function findAddon(s: Sealing, column: 'name' | 'id', value: string): Promise<Addon | undefined> {
  const row = await s.db.selectFrom('addons').selectAll().where(column, '=', value).executeTakeFirst();
  return row && openAddon(s, fromAddonRow(row));
}

export async function listAddons(s: Sealing, ownerAppId?: string): Promise<Addon[]> {
  let query = s.db.selectFrom('addons').selectAll();
  if (ownerAppId !== undefined) query = query.where('app_id', '=', ownerAppId);
  return Promise.all((await query.orderBy('name').execute()).map((row) => openAddon(s, fromAddonRow(row))));
}

export async function deleteAddon(db: Kysely<Database>, addonId: string): Promise<void> {
  await db.deleteFrom('addon_attachments').where('addon_id', '=', addonId).execute();
  await db.deleteFrom('addons').where('id', '=', addonId).execute();
}

export async function insertAttachment(db: Kysely<Database>, attachment: AddonAttachment): Promise<void> {
  await db
    .insertInto('addon_attachments')
    .values({ id: attachment.id, addon_id: attachment.addonId, app_id: attachment.appId, name: attachment.name, created_at: attachment.createdAt })
    .execute();
}

export async function deleteAttachment(db: Kysely<Database>, attachmentId: string): Promise<void> {
  await db.deleteFrom('addon_attachments').where('id', '=', attachmentId).execute();
}

export async function listAttachments(db: Kysely<Database>, filter: { appId?: string; addonId?: string }): Promise<AddonAttachment[]> {
  let query = db.selectFrom('addon_attachments').selectAll();
  if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
  if (filter.addonId !== undefined) query = query.where('addon_id', '=', filter.addonId);
  const rows = await query.orderBy('created_at').orderBy('name').execute();
  return rows.map(fromAttachmentRow);
}

function fromAddonRow(row: Selectable<AddonsTable>): Addon {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    plan: row.plan,
    appId: row.app_id,
    url: row.url,
    resource: JSON.parse(row.resource) as Addon['resource'],
    createdAt: row.created_at,
  };
}

function fromAttachmentRow(row: Selectable<AddonAttachmentsTable>): AddonAttachment {
  return { id: row.id, addonId: row.addon_id, appId: row.app_id, name: row.name, createdAt: row.created_at };
}
