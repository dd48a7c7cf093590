import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Build, BuildPhase, Failure, Slug } from '../model.js';
import type { BuiltSlug, OutputWriter, SourceHandle } from '../ports/build.js';
import { requireApp } from './apps.js';
import { diskFullOr } from './disk-full.js';
import { applyAppJsonCron } from './cron-jobs.js';
import { platformEvent } from './platform-event.js';
import { appUser } from './run-target.js';
import { runPostdeploy } from './postdeploy.js';
import { currentRelease } from './releases.js';
import { release as releaseChange } from './release-executor.js';
import { printScoreLine, scorecardRequest } from './scorecard.js';

/**
 * Accepts an upload and queues the build pipeline: build -> slug -> release -> rollout. Answers
 * as soon as the source is safely extracted; the outcome is the build's status, and the output
 * can be followed live meanwhile. `origin.commit`: the git commit the source is (push, --ref).
 */
export async function createBuild(
  deps: ActingDeps,
  appName: string,
  body: AsyncIterable<Uint8Array>,
  origin: { commit?: string; review?: { provision(slug: Slug, output: OutputWriter): Promise<void> } } = {},
): Promise<{ app: App; build: Build; done: Promise<Build> }> {
  const app = await requireApp(deps, appName);
  const source = await deps.intake.receive(body);
  const build: Build = {
    id: deps.ids.next(),
    appId: app.id,
    status: 'pending',
    buildpack: null,
    slugId: null,
    release: null,
    error: null,
    createdAt: deps.clock.now().toISOString(),
    finishedAt: null,
    commit: origin.commit ?? null,
  };
  try {
    await deps.store.insertBuild(build);
  } catch (error) {
    await source.dispose();
    throw error;
  }
  const output = intoLogStream(deps, app.name, deps.buildOutputs.open(build.id));
  const controller = new AbortController();
  deps.builds.active.set(build.id, { controller, note: (line) => output.line(line) });
  const done = deps.builds
    .run(app.id, () => runPipeline(deps, app, build, source, output, controller.signal, origin.review), (why) => output.line(`-----> Queued: ${why}`))
    .finally(() => {
      deps.builds.active.delete(build.id);
      // Once the app has no build running: what this deploy pushed out of the window is collected.
      deps.gc.kick();
    });
  return { app, build, done };
}

async function runPipeline(deps: ActingDeps, app: App, build: Build, source: SourceHandle, output: OutputWriter & { close(): string }, signal: AbortSignal, review?: { provision(slug: Slug, output: OutputWriter): Promise<void> }): Promise<Build> {
  const final: Partial<Build> = {};
  const phases: BuildPhase[] = [];
  const warnings: string[] = [];
  const cancelTimeout = deps.clock.after(deps.settings.buildTimeoutMs, () => {
    const limit = Math.round(deps.settings.buildTimeoutMs / 1000);
    abortWith(deps, build.id, new DozenError('BUILD_TIMED_OUT', `The build did not finish within ${limit} s (DOZEN_BUILD_TIMEOUT) and was stopped.`));
  });
  try {
    if (signal.aborted) throw signal.reason;
    await deps.store.updateBuild(build.id, { status: 'building' });
    platformEvent(deps, app.name, 'build', `Build ${build.id} started`);
    const config = (await currentRelease(deps, app))?.config ?? {};
    const buildpacks = await deps.store.getBuildpacks(app.id);
    const user = await appUser(deps, app);
    const scorecard = await scorecardRequest(deps, app, build.commit, config);
    const slug = await deps.builder.build({ app, buildId: build.id, source, config, output, buildpacks, signal, user, phase: (p) => phases.push(p), warn: (w) => warnings.push(w), chosen: (b) => (final.buildpack = b), ...(scorecard ? { scorecard } : {}) });
    cancelTimeout();
    deps.builds.active.delete(build.id);
    const stored = await storeSlug(deps, app, build, slug);
    Object.assign(final, { buildpack: slug.buildpack, slugId: slug.slugId, phases });
    output.line(`-----> Build phases: ${phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(2)} s`).join(', ')}`);
    if (slug.checks) final.checks = slug.checks;
    await deps.store.updateBuild(build.id, { status: 'releasing', ...final });
    platformEvent(deps, app.name, 'build', `Build ${build.id} succeeded`);
    // A review app's add-ons (app.json `addons`) are attached before its code is released.
    if (review) await review.provision(stored, output);
    const change = { kind: 'build', slug: stored, buildId: build.id, commit: build.commit, ...(review ? { review: true } : {}), ...(slug.checks ? { checks: slug.checks } : {}) } as const;
    const { release } = await releaseChange(deps, app, change, (line) => output.line(line));
    Object.assign(final, { status: 'succeeded', release: release?.version ?? null });
    output.line(`Released v${release?.version}: ${deps.settings.webUrl(app.name)}`);
    if (release) await applyAppJsonCron(deps, app, slug.manifest.cron, (line) => output.line(line));
    if (release && slug.manifest.postdeploy) {
      // The release is serving whatever postdeploy does: the build succeeded (a push is accepted,
      // its branch moves to what runs), and the failure is a warning with its own code.
      try {
        await runPostdeploy(deps, app, release, slug.manifest.postdeploy, (line) => output.line(line));
      } catch (error) {
        const failure = toFailure(error);
        warnings.push(`${failure.code}: ${failure.message}`);
        output.line(` !     ${failure.message}`);
        if (failure.hint) output.line(` !     ${failure.hint}`);
      }
    }
    if (release) await printScoreLine(deps, { ...slug, app, build, release }, output);
  } catch (caught) {
    const error = final.slugId === undefined ? await diskFullOr(deps, caught, `the build of ${app.name}`) : caught;
    const failure = toFailure(error);
    const release = (error as DozenError).details as { release?: number } | undefined;
    Object.assign(final, { status: 'failed', error: failure, release: release?.release ?? final.release ?? null, phases });
    output.line(` !     ${failure.message}`);
    if (final.slugId === undefined) platformEvent(deps, app.name, 'build', `Build ${build.id} failed: ${failure.message}`);
  } finally {
    cancelTimeout();
    await source.dispose().catch(() => undefined);
  }
  const finished = { ...build, ...final, finishedAt: deps.clock.now().toISOString() } as Build;
  const patch = { status: finished.status, buildpack: finished.buildpack, error: finished.error, release: finished.release, finishedAt: finished.finishedAt, phases, warnings, ...(finished.checks ? { checks: finished.checks } : {}) };
  await deps.store.finishBuild(build.id, patch, output.close());
  return finished;
}

/** Build output also goes to the app's log stream, as `app[build]` lines. */
function intoLogStream(deps: CoreDeps, app: string, output: OutputWriter & { close(): string }): OutputWriter & { close(): string } {
  return {
    line: (text) => {
      output.line(text);
      for (const line of text.replace(/\n$/, '').split('\n')) deps.logs.append({ app, source: 'app', process: 'build', message: line });
    },
    close: () => output.close(),
  };
}

/** The slug as the store keeps it: an identical one already kept is reused as it is. */
async function storeSlug(deps: CoreDeps, app: App, build: Build, slug: BuiltSlug): Promise<Slug> {
  const kept = await deps.store.findSlug(slug.slugId);
  if (kept?.collectedAt !== undefined) {
    // Built again after garbage collection took its files: the builder stored them anew.
    await deps.store.markSlugsCollected([kept.id], null);
    const { collectedAt: _, ...restored } = kept;
    return restored;
  }
  if (kept) return kept;
  const made: Slug = {
    id: slug.slugId,
    appId: app.id,
    buildId: build.id,
    processTypes: slug.processTypes,
    buildpack: slug.buildpack,
    sizeBytes: slug.sizeBytes,
    runtime: slug.runtime,
    createdAt: deps.clock.now().toISOString(),
    digest: slug.digest,
    manifest: slug.manifest,
  };
  await deps.store.insertSlug(made);
  return made;
}

function abortWith(deps: CoreDeps, buildId: string, reason: DozenError): void {
  const running = deps.builds.active.get(buildId);
  if (!running || running.controller.signal.aborted) return;
  running.note(` !     ${reason.message}`);
  running.controller.abort(reason);
}

/** Stops a pending or running build: its commands' process groups are killed. */
export async function cancelBuild(deps: CoreDeps, appName: string, buildId: string): Promise<{ app: App; build: Build }> {
  const { app, build } = await getBuild(deps, appName, buildId);
  if (!deps.builds.active.has(build.id)) {
    throw new DozenError('BUILD_FINISHED', `Build ${build.id} of ${appName} is ${build.status}: it cannot be cancelled any more.`);
  }
  const reason = new DozenError('BUILD_CANCELLED', `Build ${build.id} was cancelled.`);
  abortWith(deps, build.id, reason);
  // A queued build may wait long for its turn: it shows as cancelled now, not when it would have run.
  if (build.status === 'pending') await deps.store.updateBuild(build.id, { status: 'failed', error: toFailure(reason), finishedAt: deps.clock.now().toISOString() });
  platformEvent(deps, app.name, 'build', `Build ${build.id} cancelled`);
  return { app, build: (await deps.store.findBuild(app.id, build.id)) ?? build };
}

export async function purgeBuildCache(deps: CoreDeps, appName: string): Promise<App> {
  const app = await requireApp(deps, appName);
  await deps.builder.purgeCache(app);
  platformEvent(deps, app.name, 'build', 'Build cache purged');
  return app;
}

export function toFailure(error: unknown): Failure {
  if (error instanceof DozenError) return { code: error.code, message: error.message, hint: error.hint };
  const internal = new DozenError('INTERNAL', `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  return { code: internal.code, message: internal.message, hint: internal.hint };
}

export async function listBuilds(deps: CoreDeps, appName: string): Promise<{ app: App; builds: Build[] }> {
  const app = await requireApp(deps, appName);
  return { app, builds: await deps.store.listBuilds(app.id, 100) };
}

export async function getBuild(deps: CoreDeps, appName: string, buildId: string): Promise<{ app: App; build: Build }> {
  const app = await requireApp(deps, appName);
  const build = await deps.store.findBuild(app.id, buildId);
  if (!build) throw new DozenError('BUILD_NOT_FOUND', `${appName} has no build ${buildId}.`);
  return { app, build };
}

/** The build's output: live while it runs here, else what was kept when it ended. */
export async function buildOutput(deps: CoreDeps, appName: string, buildId: string): Promise<AsyncIterable<string>> {
  const { build } = await getBuild(deps, appName, buildId);
  const live = deps.buildOutputs.follow(build.id);
  if (live) return live;
  const stored = (await deps.store.getBuildOutput(build.id)) ?? '';
  return (async function* () {
    yield stored;
  })();
}
