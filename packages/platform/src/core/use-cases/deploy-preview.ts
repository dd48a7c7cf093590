import type { CoreDeps } from '../deps.js';
import type { ProcessTypes } from '../model.js';
import type { RunTarget } from '../ports.js';
import { parseProcfile } from '../procfile.js';
import type { PlannedAction } from '../rollout-preview.js';
import { requireApp } from './apps.js';
import { currentRunTarget, withDefaultQuantities } from './run-target.js';

export interface DeployPreview {
  /** The release a deploy would make. */
  release: number;
  processTypes: ProcessTypes;
  steps: PlannedAction[][];
}

/**
 * What rolling out a new release would do (`deploy --dry-run`), without building anything: the
 * process types come from the Procfile the CLI sends, else from the current release.
 */
export async function previewDeploy(deps: CoreDeps, appName: string, procfile: string | undefined): Promise<DeployPreview> {
  const app = await requireApp(deps, appName);
  const current = await currentRunTarget(deps, app);
  const processTypes = procfile !== undefined ? parseProcfile(procfile) : (current?.processTypes ?? {});
  const release = (await deps.store.latestReleaseVersion(app.id)) + 1;
  const target: RunTarget = {
    app: app.name,
    appId: app.id,
    release,
    slugId: 'planned',
    config: current?.config ?? {},
    processTypes,
    formation: withDefaultQuantities(current?.formation ?? (await deps.store.getFormation(app.id)), processTypes),
    runtime: { nodeBinDir: null, healthchecks: {} },
    user: current?.user ?? { uid: 0, gid: 0 },
    settings: current?.settings ?? (await deps.store.getProcessSettings(app.id)),
  };
  return { release, processTypes, steps: deps.runtime.preview(target) };
}
