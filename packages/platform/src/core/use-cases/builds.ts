import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import { shortCommit } from '../git-refs.js';
import type { App, Build, Failure } from '../model.js';
import type { OutputWriter, SourceHandle } from '../ports.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { currentRelease, releaseAndRun } from './releases.js';

/**
 * Accepts an upload and starts the build pipeline: build -> slug -> release -> rollout. Answers
 * as soon as the source is safely extracted; the outcome is the build's status, and the output
 * can be followed live meanwhile. `origin.commit`: the git commit the source is (push, --ref).
 */
export async function createBuild(
  deps: CoreDeps,
  appName: string,
  body: AsyncIterable<Uint8Array>,
  origin: { commit?: string } = {},
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
  const output = deps.buildOutputs.open(build.id);
  const done = runPipeline(deps, app, build, source, output);
  return { app, build, done };
}

async function runPipeline(deps: CoreDeps, app: App, build: Build, source: SourceHandle, output: OutputWriter & { close(): string }): Promise<Build> {
  const final: Partial<Build> = {};
  try {
    await deps.store.updateBuild(build.id, { status: 'building' });
    platformEvent(deps, app.name, 'build', `Build ${build.id} started`);
    const config = (await currentRelease(deps, app))?.config ?? {};
    const slug = await deps.builder.build({ app, buildId: build.id, source, config, output });
    await deps.store.insertSlug({ id: slug.slugId, appId: app.id, buildId: build.id, processTypes: slug.processTypes, buildpack: slug.buildpack, sizeBytes: slug.sizeBytes, runtime: slug.runtime, createdAt: deps.clock.now().toISOString() });
    Object.assign(final, { buildpack: slug.buildpack, slugId: slug.slugId });
    await deps.store.updateBuild(build.id, { status: 'releasing', ...final });
    platformEvent(deps, app.name, 'build', `Build ${build.id} succeeded`);
    const release = await releaseAndRun(
      deps,
      app.name,
      (current) => ({ slugId: slug.slugId, buildId: build.id, config: current?.config ?? {}, description: `Deploy ${build.commit ? shortCommit(build.commit) : build.id.slice(0, 8)}`, commit: build.commit }),
      (line) => output.line(line),
    );
    Object.assign(final, { status: 'succeeded', release: release?.version ?? null });
    output.line(`Released v${release?.version}: ${deps.settings.webUrl(app.name)}`);
  } catch (error) {
    const failure = toFailure(error);
    const release = (error as DozenError).details as { release?: number } | undefined;
    Object.assign(final, { status: 'failed', error: failure, release: release?.release ?? null });
    output.line(` !     ${failure.message}`);
    if (final.slugId === undefined) platformEvent(deps, app.name, 'build', `Build ${build.id} failed: ${failure.message}`);
  } finally {
    await source.dispose().catch(() => undefined);
  }
  const finished = { ...build, ...final, finishedAt: deps.clock.now().toISOString() } as Build;
  await deps.store.updateBuild(build.id, { status: finished.status, error: finished.error, release: finished.release, finishedAt: finished.finishedAt });
  await deps.store.saveBuildOutput(build.id, output.close());
  return finished;
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
