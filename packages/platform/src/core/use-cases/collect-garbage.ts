import type { CoreDeps } from '../deps.js';
import { emptyPlan, planGc, type GcPlan, type GcState } from '../gc-plan.js';
import type { DiskArtifacts } from '../ports/data-disk.js';

export interface GcReport {
  collectedSlugs: number;
  removedSlugDirs: number;
  removedAppDirs: number;
  removedRuntimes: string[];
  removedBuildDirs: number;
  keptSlugs: number;
}

/**
 * One garbage collection: reads the state, plans (core/gc-plan.ts) and carries the plan out. The
 * slug rows are marked collected first, each app's under its lock (a rollback reads its target's
 * slug under the same lock, and from then on is refused with SLUG_COLLECTED); the files go after.
 * An app whose build started since the plan was read keeps its slugs this time. Copies of the
 * collected slugs kept elsewhere (the roles' artefacts) go last, through the builder.
 */
export async function collectGarbage(deps: CoreDeps): Promise<GcReport> {
  const plan = planGc(await readGcState(deps));
  if (emptyPlan(plan)) return report(plan, plan.remove);
  const skipped = new Set<string>();
  const at = deps.clock.now().toISOString();
  for (const [appId, slugIds] of byApp(plan.collect)) {
    await deps.locks.run(appId, async () => {
      if (deps.builds.busy(appId)) skipped.add(appId);
      else await deps.store.markSlugsCollected(slugIds, at);
    });
  }
  const idle = deps.builds.idle;
  const remove: DiskArtifacts = {
    slugs: plan.remove.slugs.filter((s) => !skipped.has(s.appId) && !deps.builds.busy(s.appId)),
    appDirs: plan.remove.appDirs,
    runtimes: idle ? plan.remove.runtimes : [],
    builds: idle ? plan.remove.builds : [],
  };
  await deps.disk.remove(remove);
  const collected = plan.collect.filter((s) => !skipped.has(s.appId));
  if (collected.length > 0) await deps.builder.forgetSlugs?.(collected);
  return report({ ...plan, collect: collected }, remove);
}

/**
 * The disk is listed first: whatever lies there belongs to an app created before the listing, so
 * an app made meanwhile (and its first build's directories) is never taken for a destroyed one.
 */
async function readGcState(deps: CoreDeps): Promise<GcState> {
  const disk = await deps.disk.inventory();
  const apps = await deps.store.listApps();
  const releases = [];
  for (const app of apps) releases.push(...(await deps.store.listReleases(app.id, Number.MAX_SAFE_INTEGER)));
  const slugs = (await deps.store.listSlugs()).map((s) => ({ id: s.id, appId: s.appId, nodeBinDir: s.runtime.nodeBinDir, collected: s.collectedAt !== undefined }));
  const busyApps = apps.filter((a) => deps.builds.busy(a.id)).map((a) => a.id);
  return { apps, releases, slugs, busyApps, disk };
}

function byApp(slugs: { appId: string; slugId: string }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { appId, slugId } of slugs) groups.set(appId, [...(groups.get(appId) ?? []), slugId]);
  return groups;
}

function report(plan: GcPlan, removed: DiskArtifacts): GcReport {
  return {
    collectedSlugs: plan.collect.length,
    removedSlugDirs: removed.slugs.length,
    removedAppDirs: removed.appDirs.length,
    removedRuntimes: removed.runtimes,
    removedBuildDirs: removed.builds.length,
    keptSlugs: plan.kept,
  };
}
