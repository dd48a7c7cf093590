import type { DiskArtifacts, DiskInventory } from './ports/data-disk.js';
import type { ReleaseStatus } from './model.js';

/**
 * The rollback window: an app's last ROLLBACK_WINDOW releases (by version, whatever their status),
 * plus its current release and any release still pending. Their slugs, and the Node.js runtimes
 * those slugs run on, are never collected.
 */
export const ROLLBACK_WINDOW = 10;

/** Everything garbage collection decides on, read once (the executor's job). */
export interface GcState {
  apps: { id: string; currentRelease: number | null }[];
  releases: { appId: string; version: number; slugId: string | null; status: ReleaseStatus }[];
  slugs: { id: string; appId: string; nodeBinDir: string | null; collected: boolean }[];
  /** Apps with a build queued or running: nothing of theirs is collected now. */
  busyApps: string[];
  disk: DiskInventory;
}

export interface GcPlan {
  /** Slug rows to mark collected (their files go with `remove`). */
  collect: { appId: string; slugId: string }[];
  remove: DiskArtifacts;
  /** Slugs kept by the window, for the report. */
  kept: number;
}

/** The slug ids each app's rollback window keeps. */
export function windowSlugs(state: Pick<GcState, 'apps' | 'releases'>, window = ROLLBACK_WINDOW): Set<string> {
  const kept = new Set<string>();
  for (const app of state.apps) {
    const releases = state.releases.filter((r) => r.appId === app.id).sort((a, b) => b.version - a.version);
    releases.forEach((release, index) => {
      const inWindow = index < window || release.version === app.currentRelease || release.status === 'pending';
      if (inWindow && release.slugId !== null) kept.add(release.slugId);
    });
  }
  return kept;
}

/**
 * What to collect: slugs outside every window (a slug shared by several releases stays while one
 * of them keeps it), the directories of apps that are gone, runtimes no kept slug runs on, and the
 * scratch space of builds that are over. An app with a build in progress keeps everything; while
 * any build runs, runtimes and build dirs are kept too (a build may be installing or using them).
 */
export function planGc(state: GcState, window = ROLLBACK_WINDOW): GcPlan {
  const apps = new Set(state.apps.map((a) => a.id));
  const busy = new Set(state.busyApps);
  const keep = windowSlugs(state, window);
  const collect = state.slugs
    .filter((s) => apps.has(s.appId) && !busy.has(s.appId) && !keep.has(s.id) && !s.collected)
    .map((s) => ({ appId: s.appId, slugId: s.id }));
  const slugs = state.disk.slugs.filter((s) => apps.has(s.appId) && !busy.has(s.appId) && !keep.has(s.slugId));
  const appDirs = state.disk.appDirs.filter((d) => !apps.has(d.appId));
  const anyBusy = busy.size > 0;
  const usedRuntimes = state.slugs.filter((s) => keep.has(s.id) || busy.has(s.appId)).map((s) => s.nodeBinDir).filter((d): d is string => d !== null);
  const runtimes = anyBusy ? [] : state.disk.runtimes.filter((dir) => !usedRuntimes.some((bin) => bin === dir || bin.startsWith(`${dir}/`)));
  const builds = anyBusy ? [] : state.disk.builds;
  return { collect, remove: { slugs, appDirs, runtimes, builds }, kept: keep.size };
}

/** Nothing to do. */
export function emptyPlan(plan: GcPlan): boolean {
  const r = plan.remove;
  return plan.collect.length === 0 && r.slugs.length + r.appDirs.length + r.runtimes.length + r.builds.length === 0;
}
