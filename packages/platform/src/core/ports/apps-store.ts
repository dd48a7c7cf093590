import type { App } from '../model.js';

/** The apps themselves, their uid and deploy branch. */
export interface AppsStore {
  insertApp(app: App): Promise<void>;
  findApp(name: string): Promise<App | undefined>;
  listApps(): Promise<App[]>;
  deleteApp(appId: string): Promise<void>;
  setCurrentRelease(appId: string, version: number): Promise<void>;
  /** The app's uid: allocated on the first call (from `base` up, never reused), then always the same. */
  appUid(appId: string, base: number): Promise<number>;
  /** The app's own deploy branch; null: the default ones. */
  getDeployBranch(appId: string): Promise<string | null>;
  setDeployBranch(appId: string, branch: string | null): Promise<void>;
}
