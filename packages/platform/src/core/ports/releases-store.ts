import type { AddonAttachment, App, AppUser, Formation, ProcessTypeSettings, Release, Slug } from '../model.js';

/** Releases, and the state a release plan reads. */
export interface ReleasesStore {
  insertRelease(release: Release): Promise<void>;
  updateRelease(appId: string, version: number, patch: Partial<Pick<Release, 'status' | 'failure'>>): Promise<void>;
  findRelease(appId: string, version: number): Promise<Release | undefined>;
  listReleases(appId: string, limit: number): Promise<Release[]>;
  latestReleaseVersion(appId: string): Promise<number>;
  /**
   * Everything a release plan reads, in one call: the app as it is now, its current release and
   * latest version, attachments with their add-ons, formation, process settings, the slug
   * `slugId` names ('current': the current release's) and, when that slug exists, the app's user
   * (allocated on first use, as `appUid`). Undefined: no such app.
   */
  loadReleaseState(appId: string, options: { slugId: string | null | 'current'; uidBase: number }): Promise<ReleaseState | undefined>;
  /** The release succeeded and is the app's current one (one transaction). */
  markReleaseCurrent(appId: string, version: number): Promise<void>;
}

/** An attachment of the app with the add-on it points at, as the plan needs it. */
export interface AttachedAddon {
  attachment: AddonAttachment;
  addonName: string;
  url: string;
}

/** Everything a release plan reads, loaded once (under the app's lock) by `Store.loadReleaseState`. */
export interface ReleaseState {
  app: App;
  current: Release | undefined;
  latestVersion: number;
  attachments: AttachedAddon[];
  formation: Formation;
  settings: Record<string, ProcessTypeSettings>;
  /** The slug the change runs (the current release's, or a rollback's target's); absent: none. */
  slug: Slug | undefined;
  /** The app's user; null when there is no slug to run. */
  user: AppUser | null;
  /** The app's scorecard policy (`scorecard:require`), as set; absent or empty: none. */
  requiredChecks?: string[];
}
