import type { BuildJobs } from './build-jobs.js';
import { sourceArtefact } from './slug-transfer.js';
import type { StoreArtefacts } from './store-artefacts.js';

export interface ArtefactSweepOptions {
  /** A source stored longer ago than this whose job is not queued or running is left over (an api died mid-build). */
  sourceAfterMs: number;
  /** A put's chunks still there this long after the sweep first saw them were left by an api that died mid-put; default 1 h. */
  partialAfterMs?: number;
}

/**
 * The artefacts no one will read (issue 19): `source/<build id>` whose api died before the build
 * ended (a live api deletes its source when the job ends), and the `partial/<uuid>` chunks of a
 * put whose api died. Run by the holder of the lease `scheduler` with the orphan sweep. A partial
 * carries no time of its own: its age is how long this sweep has seen it.
 */
export class ArtefactSweep {
  private readonly partialsSeen = new Map<string, number>();

  constructor(
    private readonly artefacts: Pick<StoreArtefacts, 'list' | 'partials' | 'delete'>,
    private readonly jobs: Pick<BuildJobs, 'state'>,
    private readonly options: ArtefactSweepOptions,
  ) {}

  /** One look at `now` (ms since the epoch); answers what was deleted. */
  async pass(now: number): Promise<{ sources: number; partials: number }> {
    let sources = 0;
    for (const { name, createdAt } of await this.artefacts.list(sourceArtefact(''))) {
      if (now - createdAt.getTime() < this.options.sourceAfterMs) continue;
      const job = await this.jobs.state(name.slice(sourceArtefact('').length));
      if (job?.state === 'queued' || job?.state === 'running') continue;
      await this.artefacts.delete(name);
      sources += 1;
    }
    const present = new Set(await this.artefacts.partials());
    for (const name of [...this.partialsSeen.keys()]) if (!present.has(name)) this.partialsSeen.delete(name);
    let partials = 0;
    for (const name of present) {
      const since = this.partialsSeen.get(name) ?? now;
      this.partialsSeen.set(name, since);
      if (now - since < (this.options.partialAfterMs ?? 3_600_000)) continue;
      await this.artefacts.delete(name);
      this.partialsSeen.delete(name);
      partials += 1;
    }
    return { sources, partials };
  }
}
