import type { App } from '../core/model.js';
import type { ReleaseState } from '../core/ports/releases-store.js';
import type { Store } from '../core/ports/store.js';

/** The store, with the read by id it has beside the port. */
export type StoreReads = Store & { findAppById(appId: string): Promise<App | undefined> };

/**
 * `Store.loadReleaseState`, from the store's own reads in one transaction: what a release plan
 * needs, so that the core asks once instead of re-reading what it already holds.
 */
export function loadReleaseState(store: StoreReads, appId: string, options: { slugId: string | null | 'current'; uidBase: number }): Promise<ReleaseState | undefined> {
  return store.transaction(async (bound) => {
    const tx = bound as StoreReads;
    const app = await tx.findAppById(appId);
    if (!app) return undefined;
    const current = app.currentRelease === null ? undefined : await tx.findRelease(app.id, app.currentRelease);
    const slugId = options.slugId === 'current' ? (current?.slugId ?? null) : options.slugId;
    const slug = slugId === null ? undefined : await tx.findSlug(slugId);
    const attachments = [];
    for (const attachment of await tx.listAttachments({ appId })) {
      const addon = await tx.findAddonById(attachment.addonId);
      if (addon) attachments.push({ attachment, addonName: addon.name, url: addon.url });
    }
    return {
      app,
      current,
      latestVersion: await tx.latestReleaseVersion(appId),
      attachments,
      formation: await tx.getFormation(appId),
      settings: await tx.getProcessSettings(appId),
      slug,
      user: slug ? sameGroup(await tx.appUid(appId, options.uidBase)) : null,
      requiredChecks: await tx.getRequiredChecks(appId),
    };
  });
}

/** The app's own user: its uid and a group of the same number. */
function sameGroup(uid: number): { uid: number; gid: number } {
  return { uid, gid: uid };
}
