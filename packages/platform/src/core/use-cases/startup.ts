import type { CoreDeps } from '../deps.js';
import { routeApiDomain } from './api-domain.js';
import { routeAllCertificates } from './certs.js';
import { routeAllDomains } from './domains.js';
import { routeAllHttpsPolicies } from './https-settings.js';
import { routeAllMaintenance } from './maintenance.js';
import { currentRunTarget } from './run-target.js';

const INTERRUPTED = {
  code: 'BUILD_FAILED',
  message: 'The build was interrupted by a platform restart.',
  hint: 'Deploy again; the serving release was not touched.',
};

/**
 * At platform start: what was in flight when the platform stopped is recorded as failed (it will
 * not finish now), and the runtime is told what every app should run, so that it converges.
 */
export async function resumeApps(deps: CoreDeps): Promise<number> {
  await failInterrupted(deps);
  return resendTargets(deps);
}

/** Builds and releases in flight are recorded as failed: this process was the only one running them. */
export async function failInterrupted(deps: CoreDeps): Promise<void> {
  for (const app of await deps.store.listApps()) {
    for (const build of await deps.store.listBuilds(app.id, 20)) {
      if (build.status !== 'succeeded' && build.status !== 'failed') {
        await deps.store.updateBuild(build.id, { status: 'failed', error: INTERRUPTED, finishedAt: deps.clock.now().toISOString() });
      }
    }
    for (const release of await deps.store.listReleases(app.id, 20)) {
      if (release.status === 'pending') {
        await deps.store.updateRelease(app.id, release.version, { status: 'failed', failure: 'Interrupted by a platform restart' });
      }
    }
  }
}

/**
 * The runtime and the router are told what every app should run and how it is routed (level-
 * triggered): at a start, and when a runtime role becomes the leader of its host (issue 19), where
 * builds in flight belong to other processes and are left alone. Returns the number of apps.
 */
export async function resendTargets(deps: CoreDeps): Promise<number> {
  const apps = await deps.store.listApps();
  for (const app of apps) deps.runtime.converge(app.name, await currentRunTarget(deps, app));
  await routeAllDomains(deps);
  await routeAllMaintenance(deps);
  await routeAllCertificates(deps);
  await routeAllHttpsPolicies(deps);
  await routeApiDomain(deps);
  return apps.length;
}
