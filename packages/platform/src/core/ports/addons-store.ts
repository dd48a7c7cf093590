import type { Addon, AddonAttachment } from '../model.js';

/** Add-ons and their attachments. */
export interface AddonsStore {
  insertAddon(addon: Addon): Promise<void>;
  updateAddonUrl(addonId: string, url: string): Promise<void>;
  findAddon(name: string): Promise<Addon | undefined>;
  findAddonById(addonId: string): Promise<Addon | undefined>;
  /** Every add-on, or those owned by one app; by name. */
  listAddons(ownerAppId?: string): Promise<Addon[]>;
  /** Deletes the add-on and all its attachments. */
  deleteAddon(addonId: string): Promise<void>;
  /** Fails (unique constraint) when the app already has an attachment of that name. */
  insertAttachment(attachment: AddonAttachment): Promise<void>;
  deleteAttachment(attachmentId: string): Promise<void>;
  listAttachments(filter: { appId?: string; addonId?: string }): Promise<AddonAttachment[]>;
}
