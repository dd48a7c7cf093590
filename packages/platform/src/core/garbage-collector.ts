import type { CoreDeps } from './deps.js';
import { collectGarbage, type GcReport } from './use-cases/collect-garbage.js';

/** Where reports go (the platform's logger). */
export interface GcLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** How often garbage collection runs on its own (besides at start and after each release). */
export const GC_INTERVAL_MS = 3600 * 1000;

/**
 * Runs garbage collection one at a time: at start, after each successful release (`kick()`), and
 * every GC_INTERVAL_MS on the core's clock. A kick while one runs makes it run once more after.
 */
export class GarbageCollector {
  private running: Promise<void> | null = null;
  private again = false;
  private cancel: (() => void) | null = null;
  private stopped = false;

  /** One for `deps`, set as `deps.gc`; each run's report (or failure) goes to `log`. */
  static attach(deps: CoreDeps, log: GcLog): GarbageCollector {
    const gc = new GarbageCollector(deps, (report) => (removedAnything(report) ? log.info(report, 'garbage collection') : undefined), (error) => log.error({ err: error }, 'garbage collection failed'));
    deps.gc = gc;
    return gc;
  }

  constructor(
    private readonly deps: CoreDeps,
    private readonly onReport: (report: GcReport) => void = () => undefined,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Runs it soon: on the next turn of the clock, so that a build that kicks it as it ends is no
   * longer counted as running.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.cancel?.();
    this.cancel = this.deps.clock.after(0, () => this.run());
  }

  private run(): void {
    this.cancel = null;
    this.running = collectGarbage(this.deps)
      .then(this.onReport, this.onError)
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.cancel = this.deps.clock.after(GC_INTERVAL_MS, () => this.kick());
        }
      });
  }

  /** The run in progress, if any (tests and a graceful stop wait for it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** No more runs; resolves once the one in progress (if any) is over. */
  stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    return this.idle();
  }
}

function removedAnything(report: GcReport): boolean {
  return report.collectedSlugs + report.removedSlugDirs + report.removedAppDirs + report.removedRuntimes.length + report.removedBuildDirs > 0;
}
