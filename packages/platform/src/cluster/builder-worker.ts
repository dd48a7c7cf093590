import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataDirLayout } from '@dozen/contracts/node';
import { DozenError } from '@dozen/contracts/errors';
import type { Builder, BuildRequest } from '../core/ports/build.js';
import type { ArtefactClient } from './artefact-client.js';
import { openPayload, type BuildJobPayload, type ConfigSealing, type CopySlugJobPayload } from './build-job-payload.js';
import type { BuildJobEventKind, BuildJobs, ClaimedJob } from './build-jobs.js';
import { ensureSlug, sourceArtefact, unpackArchive, uploadSlug } from './slug-transfer.js';
import { Wakeup } from './wakeup.js';

export interface BuilderWorkerOptions {
  /** This builder in the jobs' claims: unique per process (e.g. `<host id>:<pid>:<random>`). */
  workerId: string;
  jobs: BuildJobs;
  /** The api's artefact routes (DOZEN_API_URLS, DOZEN_CLUSTER_TOKEN). */
  client: ArtefactClient;
  /** The real builder, as main.ts makes it: `new LazyBuilder(() => createBuilder(config, dirs, sandboxedRunner(...)))`. */
  builder: Builder;
  sealing: ConfigSealing;
  /** This builder's own data dir: sources unpacked into `sources` (the same filesystem as `slugs`), scratch files in `builds`. */
  dirs: Pick<DataDirLayout, 'slugs' | 'sources' | 'builds'>;
  /** How often a claimed job's heartbeat is written; below the queue's staleMs (default 2 s). */
  heartbeatMs?: number;
  /** How often the queue is looked at without a notification (default 1 s). */
  pollMs?: number;
  /** Where the worker says what it does (default: nowhere). */
  log?: (line: string) => void;
}

export interface BuilderWorker {
  /** Stops taking jobs; the running one may finish within `graceMs`, else it is killed and given back to the queue. */
  stop(graceMs: number): Promise<void>;
  /** For tests: dies as a `kill -9` would, at once (no more heartbeats, the build killed, nothing recorded). */
  crash(): Promise<void>;
  /** The job running now, if any. */
  readonly current: string | null;
}

/** The builder role's loop (`dozen serve builder`): claim a job, run it, record its end; heartbeats meanwhile. */
export function startBuilderWorker(options: BuilderWorkerOptions): BuilderWorker {
  return new Worker(options).start();
}

class Worker implements BuilderWorker {
  current: string | null = null;
  private stopping = false;
  private crashed = false;
  private readonly wakeup = new Wakeup();
  private readonly idle = new AbortController();
  private running: { controller: AbortController; done: Promise<void> } | null = null;
  private loop: Promise<void> = Promise.resolve();
  private unlisten: () => Promise<void> = async () => undefined;

  constructor(private readonly options: BuilderWorkerOptions) {}

  start(): this {
    void this.options.jobs.listenForWork(() => this.wakeup.fire()).then((stop) => (this.unlisten = stop), () => undefined);
    this.loop = this.run();
    return this;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const job = await this.options.jobs.claim(this.options.workerId).catch((error: unknown) => {
        this.options.log?.(`builder: the queue could not be read: ${String(error)}`);
        return null;
      });
      if (!job) {
        await this.wakeup.wait(this.options.pollMs ?? 1000, this.idle.signal);
        continue;
      }
      const controller = new AbortController();
      const done = this.runJob(job, controller);
      this.running = { controller, done };
      await done;
      this.running = null;
    }
  }

  private async runJob(job: ClaimedJob, controller: AbortController): Promise<void> {
    this.current = job.id;
    this.options.log?.(`builder: job ${job.id} (${job.kind}, attempt ${job.attempts}) claimed`);
    const sink = new EventSink(this.options.jobs, job.id, this.options.workerId);
    const beat = setInterval(() => void this.heartbeat(job.id, controller), this.options.heartbeatMs ?? 2000);
    try {
      const result = await this.execute(job, sink, controller.signal);
      await sink.flush();
      if (this.recordable(controller)) await this.options.jobs.finish(job.id, this.options.workerId, { result });
    } catch (error) {
      if (!this.crashed) await sink.flush().catch(() => undefined);
      if (this.recordable(controller)) await this.options.jobs.finish(job.id, this.options.workerId, { error }).catch(() => undefined);
    } finally {
      clearInterval(beat);
      sink.close();
      this.current = null;
    }
  }

  /** A job ends in the queue unless it was taken from this builder (lost, crashed, or given back at a stop). */
  private recordable(controller: AbortController): boolean {
    const reason: unknown = controller.signal.reason;
    return !this.crashed && !(reason instanceof GivenUp);
  }

  private async heartbeat(id: string, controller: AbortController): Promise<void> {
    if (this.crashed) return;
    const state = await this.options.jobs.heartbeat(id, this.options.workerId).catch(() => 'running' as const);
    if (state === 'cancelled') controller.abort(new DozenError('BUILD_CANCELLED', `Build ${id} was cancelled.`));
    if (state === 'lost') controller.abort(new GivenUp(`job ${id} is no longer this builder's`));
  }

  private execute(job: ClaimedJob, sink: EventSink, signal: AbortSignal): Promise<unknown> {
    if (job.kind === 'build') return this.build(job.payload as BuildJobPayload, sink, signal);
    if (job.kind === 'copySlug') return this.copySlug(job.payload as CopySlugJobPayload);
    return Promise.reject(new Error(`this builder does not know jobs of kind ${job.kind}`));
  }

  private async build(sealed: BuildJobPayload, sink: EventSink, signal: AbortSignal): Promise<unknown> {
    const { dirs, client } = this.options;
    const payload = await openPayload(this.options.sealing, sealed);
    const archive = join(dirs.builds, `source-${payload.buildId}-${randomUUID()}.tar.gz`);
    const location = join(dirs.sources, randomUUID());
    await mkdir(dirs.builds, { recursive: true, mode: 0o700 });
    try {
      await client.download(sourceArtefact(payload.buildId), archive);
      await unpackArchive(archive, location, null);
      await rm(archive, { force: true });
      const request: BuildRequest = {
        app: payload.app, buildId: payload.buildId, config: payload.config, buildpacks: payload.buildpacks, user: payload.user, signal,
        source: { location, dispose: () => rm(location, { recursive: true, force: true }) },
        output: { line: (text) => sink.add('line', text) },
        phase: (phase) => sink.add('phase', JSON.stringify(phase)),
        warn: (text) => sink.add('warn', text),
        chosen: (buildpacks) => sink.add('chosen', buildpacks),
        ...(payload.scorecard ? { scorecard: payload.scorecard } : {}),
      };
      const built = await this.options.builder.build(request);
      await uploadSlug(client, dirs, { appId: payload.app.id, slugId: built.slugId }, dirs.builds);
      return built;
    } finally {
      await rm(archive, { force: true });
      await rm(location, { recursive: true, force: true });
    }
  }

  private async copySlug(payload: CopySlugJobPayload): Promise<unknown> {
    const { dirs, client } = this.options;
    await ensureSlug({ client, layout: dirs, appId: payload.from.appId, slugId: payload.from.slugId, owner: payload.owner });
    const copied = await this.options.builder.copySlug(payload.from, payload.to);
    await uploadSlug(client, dirs, payload.to, dirs.builds);
    return copied;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.idle.abort();
    const running = this.running;
    if (running && this.current) {
      const id = this.current;
      const timer = setTimeout(() => running.controller.abort(new GivenUp('the builder is stopping')), graceMs);
      await running.done;
      clearTimeout(timer);
      if (running.controller.signal.reason instanceof GivenUp) await this.options.jobs.release(id, this.options.workerId).catch(() => undefined);
    }
    await this.loop;
    await this.unlisten().catch(() => undefined);
  }

  async crash(): Promise<void> {
    this.crashed = true;
    this.stopping = true;
    this.idle.abort();
    this.running?.controller.abort(new GivenUp('the builder died'));
    await this.loop;
    await this.unlisten().catch(() => undefined);
  }
}

/** The build was taken from this builder: its end is not this builder's to record. */
class GivenUp extends Error {}

/** A build's events, written in batches (every 100 ms) rather than one statement per output line. */
class EventSink {
  private pending: { kind: BuildJobEventKind; data: string }[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly jobs: BuildJobs, private readonly id: string, private readonly workerId: string) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), 100);
  }

  add(kind: BuildJobEventKind, data: string): void {
    this.pending.push({ kind, data });
  }

  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.jobs.emit(this.id, this.workerId, batch));
    return this.writing;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
