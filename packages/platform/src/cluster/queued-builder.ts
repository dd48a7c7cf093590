import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { App } from '../core/model.js';
import type { Builder, BuildRequest, BuiltSlug } from '../core/ports/build.js';
import { packDirectory } from '../kubernetes/slug-archives.js';
import type { BuildJobEvent, BuildJobs } from './build-jobs.js';
import { errorOfJob } from './build-jobs.js';
import { sealPayload, type BuildJobPayload, type ConfigSealing, type CopySlugJobPayload } from './build-job-payload.js';
import type { StoreArtefacts } from './store-artefacts.js';
import { slugArtefact, sourceArtefact } from './slug-transfer.js';

export interface QueuedBuilderOptions {
  jobs: BuildJobs;
  artefacts: StoreArtefacts;
  sealing: ConfigSealing;
  /** Where the source is packed before it is stored (the api's own data dir). */
  scratchDir: string;
  /** The buildpack check, run here (it reads no cache): the api's own local builder, loaded lazily. */
  local: Pick<Builder, 'checkBuildpacks'>;
}

/**
 * The api role's Builder (issue 19): the build runs on a builder role. `build` packs the source,
 * stores it as `source/<buildId>`, queues a job and follows it, handing its events to the request
 * (output, phases, warnings, buildpacks) until it ends; it answers the BuiltSlug only when the job
 * succeeded, which a builder records after the slug's artefact is stored: never half-released.
 * Cancel and timeout (request.signal) cancel the job; its builder kills the build.
 */
export class QueuedBuilder implements Builder {
  constructor(private readonly options: QueuedBuilderOptions) {}

  async build(request: BuildRequest): Promise<BuiltSlug> {
    const { jobs } = this.options;
    const source = sourceArtefact(request.buildId);
    await this.storeSource(source, request.source.location);
    const jobId = request.buildId;
    const onAbort = () => void jobs.cancel(jobId).catch(() => undefined);
    try {
      const payload: BuildJobPayload = {
        app: request.app, buildId: request.buildId, config: request.config, buildpacks: request.buildpacks, user: request.user, scorecard: request.scorecard ?? null,
      };
      await jobs.enqueue({ id: jobId, kind: 'build', appId: request.app.id, payload: await sealPayload(this.options.sealing, payload) });
      request.signal.addEventListener('abort', onAbort, { once: true });
      if (request.signal.aborted) onAbort();
      const outcome = await jobs.follow(jobId, (event) => deliver(request, event), request.signal);
      if (outcome.state === 'succeeded') return outcome.result as BuiltSlug;
      if (outcome.state === 'failed') throw errorOfJob(outcome.error);
      throw request.signal.aborted ? request.signal.reason : new DozenError('BUILD_CANCELLED', `Build ${request.buildId} was cancelled.`);
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      await this.options.artefacts.delete(source).catch(() => undefined);
      await jobs.forget(jobId).catch(() => undefined);
    }
  }

  private async storeSource(name: string, dir: string): Promise<void> {
    await mkdir(this.options.scratchDir, { recursive: true, mode: 0o700 });
    const file = join(this.options.scratchDir, `source-${randomUUID()}.tar.gz`);
    try {
      const { sha256 } = await packDirectory(dir, file);
      await this.options.artefacts.put(name, sha256, createReadStream(file));
    } finally {
      await rm(file, { force: true });
    }
  }

  /** A job on a builder: the source's slug fetched there, copied for the target and stored as its artefact. */
  async copySlug(from: { appId: string; slugId: string }, to: { appId: string; slugId: string }): Promise<{ digest: string; sizeBytes: number }> {
    const id = `copy-${randomUUID()}`;
    const payload: CopySlugJobPayload = { from, to, owner: null };
    await this.options.jobs.enqueue({ id, kind: 'copySlug', appId: to.appId, payload });
    const outcome = await this.options.jobs.follow(id, () => undefined).finally(() => this.options.jobs.forget(id).catch(() => undefined));
    if (outcome.state === 'succeeded') return outcome.result as { digest: string; sizeBytes: number };
    throw outcome.state === 'failed' ? errorOfJob(outcome.error) : new DozenError('BUILD_CANCELLED', `The copy of slug ${from.slugId} was cancelled.`);
  }

  /** The app's slugs leave the store; each builder's caches of it stay until that builder's disk is cleaned (docs/scale-out.md). */
  async removeApp(app: App): Promise<void> {
    await this.options.artefacts.deletePrefix(`${slugArtefact(app.id, '')}`);
  }

  /** Collected slugs leave the store; copies on runtime and builder hosts stay until the app is removed (docs/scale-out.md). */
  async forgetSlugs(slugs: { appId: string; slugId: string }[]): Promise<void> {
    for (const slug of slugs) await this.options.artefacts.delete(slugArtefact(slug.appId, slug.slugId));
  }

  async purgeCache(app: App): Promise<void> {
    throw new DozenError('ROLE_NOT_AVAILABLE', `The build cache of ${app.name} cannot be purged from the api: each builder role keeps its own caches on its own disk.`, {
      hint: 'Remove <data dir>/cache/<app id> on each builder host, or deploy with a changed package-lock.json; docs/scale-out.md, "Builders and their caches".',
    });
  }

  checkBuildpacks(urls: string[]): Promise<void> {
    return this.options.local.checkBuildpacks(urls);
  }
}

/** A job's event into the request, as the local builder would have made it. */
function deliver(request: BuildRequest, event: BuildJobEvent): void {
  if (event.kind === 'line') request.output.line(event.data);
  else if (event.kind === 'phase') request.phase(JSON.parse(event.data) as Parameters<BuildRequest['phase']>[0]);
  else if (event.kind === 'warn') request.warn(event.data);
  else if (event.kind === 'chosen') request.chosen?.(event.data);
}
