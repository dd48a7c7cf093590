import type { Build, Slug } from '../model.js';

/** Builds, their output and slugs; the buildpacks set for an app. */
export interface BuildsStore {
  insertBuild(build: Build): Promise<void>;
  updateBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>): Promise<void>;
  findBuild(appId: string, buildId: string): Promise<Build | undefined>;
  listBuilds(appId: string, limit: number): Promise<Build[]>;
  /** Closes a build: the last changes to its record and its whole output, in one write. */
  finishBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>, output: string): Promise<void>;
  getBuildOutput(buildId: string): Promise<string | undefined>;
  insertSlug(slug: Slug): Promise<void>;
  findSlug(slugId: string): Promise<Slug | undefined>;
  /** Every slug of every app (garbage collection). */
  listSlugs(): Promise<Slug[]>;
  /** Marks slugs whose files garbage collection removes (`at`), or kept again (null: rebuilt). */
  markSlugsCollected(slugIds: string[], at: string | null): Promise<void>;
  /** Buildpacks set for the app (`dozen buildpacks:set`), in order; empty: app.json or detection. */
  getBuildpacks(appId: string): Promise<string[]>;
  setBuildpacks(appId: string, buildpacks: string[]): Promise<void>;
}
