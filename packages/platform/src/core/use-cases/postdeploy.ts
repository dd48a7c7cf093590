import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { App, Release } from '../model.js';
import { platformEvent } from './platform-event.js';
import { runOneOffToEnd } from './release-phase.js';
import { runTargetFor } from './run-target.js';

/**
 * app.json `scripts.postdeploy`, as Heroku runs it: once, after the app's first deploy is
 * released (it typically seeds a database). A failure leaves the release serving and says so.
 */
export async function runPostdeploy(deps: CoreDeps, app: App, release: Release, command: string, progress: (line: string) => void): Promise<void> {
  const earlier = (await deps.store.listReleases(app.id, 1000)).some((r) => r.version < release.version && r.status === 'succeeded' && r.slugId !== null);
  if (earlier) return;
  const target = await runTargetFor(deps, (await deps.store.findApp(app.name)) ?? app, release);
  if (!target) return;
  progress(`-----> Running app.json postdeploy: ${command}`);
  const outcome = await runOneOffToEnd(deps, target, command, `postdeploy.${release.version}`, deps.settings.releasePhaseTimeoutMs, progress);
  if (outcome === null) {
    platformEvent(deps, app.name, 'api', `Postdeploy of v${release.version} succeeded`);
    return;
  }
  platformEvent(deps, app.name, 'api', `Postdeploy of v${release.version} failed: ${outcome}`);
  throw new DozenError('POSTDEPLOY_FAILED', `app.json scripts.postdeploy ${outcome}; release v${release.version} is serving.`, { details: { release: release.version } });
}
