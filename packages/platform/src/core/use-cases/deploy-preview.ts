import type { CoreDeps } from '../deps.js';
import type { Slug } from '../model.js';
import { parseProcfile } from '../procfile.js';
import type { ReleasePlan } from '../release-plan.js';
import { requireApp } from './apps.js';
import { planChange } from './release-executor.js';

/**
 * What deploying would release and roll out (`deploy --dry-run`), without building anything: the
 * same plan a finished build takes, with a slug whose process types come from the Procfile the
 * CLI sends, else from the current release.
 */
export async function previewDeploy(deps: CoreDeps, appName: string, procfile: string | undefined): Promise<ReleasePlan> {
  const app = await requireApp(deps, appName);
  const current = app.currentRelease === null ? undefined : await deps.store.findRelease(app.id, app.currentRelease);
  const currentSlug = current?.slugId ? await deps.store.findSlug(current.slugId) : undefined;
  const slug: Slug = {
    id: 'planned',
    appId: app.id,
    buildId: 'planned',
    processTypes: procfile !== undefined ? parseProcfile(procfile) : (currentSlug?.processTypes ?? {}),
    buildpack: '',
    sizeBytes: 0,
    runtime: { nodeBinDir: null, healthchecks: {} },
    createdAt: deps.clock.now().toISOString(),
    manifest: { env: {}, formation: {}, postdeploy: null },
  };
  return (await planChange(deps, app, { kind: 'build', slug, buildId: null, commit: null })) as ReleasePlan;
}
