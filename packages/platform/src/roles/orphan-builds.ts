import type { Logger } from 'pino';
import type { BuildJobs } from '../cluster/build-jobs.js';
import type { CoreDeps } from '../core/deps.js';

const ORPHANED = {
  code: 'BUILD_FAILED',
  message: 'The api process that ran this deploy stopped before the build ended; nothing was released.',
  hint: 'Deploy again; the serving release was not touched.',
};

export interface OrphanSweepOptions {
  /** How long a build may stay `building` after its job ended before it counts as orphaned (default 30 s). */
  graceMs?: number;
  /** Between two looks (default 10 s). */
  everyMs?: number;
  /** Ended jobs created longer ago than this leave the queue (their api never read them); above the build timeout plus the grace. */
  forgetAfterMs: number;
  /** The left-over artefacts (cluster/artefact-sweep.ts), swept on each look; none: not swept. */
  artefacts?: { pass(now: number): Promise<{ sources: number; partials: number }> };
}

/**
 * Builds whose api died mid-deploy (issue 19, roles as processes): the builder finishes the job,
 * nobody follows it, and the build's record would stay `building` for ever. The holder of the lease
 * `scheduler` looks every `everyMs`: a `building` build whose job ended (succeeded, failed,
 * cancelled) at least `graceMs` ago by this process's clock is recorded as failed. A live api moves
 * its build on within milliseconds of the job's end; `releasing` builds (a release phase may run
 * for an hour) are left alone. Then the ended jobs older than `forgetAfterMs` leave the queue.
 */
export function sweepOrphanBuilds(deps: Pick<CoreDeps, 'store' | 'clock'>, jobs: Pick<BuildJobs, 'state' | 'sweep'>, log: Logger, options: OrphanSweepOptions): { stop(): void } {
  const graceMs = options.graceMs ?? 30_000;
  const seen = new Map<string, number>();
  let stopped = false;
  let cancel: () => void = () => undefined;
  const pass = async () => {
    const now = deps.clock.now().getTime();
    const building = new Set<string>();
    for (const app of await deps.store.listApps()) {
      for (const build of await deps.store.listBuilds(app.id, 20)) {
        if (build.status !== 'building') continue;
        const job = await jobs.state(build.id);
        if (job === null || job.state === 'queued' || job.state === 'running') continue;
        building.add(build.id);
        const since = seen.get(build.id) ?? now;
        seen.set(build.id, since);
        if (now - since < graceMs) continue;
        await deps.store.updateBuild(build.id, { status: 'failed', error: ORPHANED, finishedAt: new Date(now).toISOString() });
        log.warn({ app: app.name, build: build.id, job: job.state }, `Build ${build.id} of ${app.name}: its api stopped before the build ended; recorded as failed`);
      }
    }
    for (const id of [...seen.keys()]) if (!building.has(id)) seen.delete(id);
    // A live api forgets its job once it read the outcome; what is left ended with no one to read it.
    await jobs.sweep(options.forgetAfterMs);
    const left = await options.artefacts?.pass(now);
    if (left && left.sources + left.partials > 0) log.info(left, 'left-over artefacts deleted (sources of ended builds, partial uploads)');
  };
  const loop = () => {
    if (stopped) return;
    pass()
      .catch((error: unknown) => log.warn({ err: error }, `The sweep of orphaned builds failed: ${(error as Error).message}`))
      .finally(() => {
        if (!stopped) cancel = deps.clock.after(options.everyMs ?? 10_000, loop);
      });
  };
  loop();
  return {
    stop: () => {
      stopped = true;
      cancel();
    },
  };
}
