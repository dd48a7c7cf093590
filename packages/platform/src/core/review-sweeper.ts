import type { CoreDeps } from './deps.js';
import { staleReviewApps } from './review-apps.js';
import { destroyStaleReviewApps } from './use-cases/review-pushes.js';

/** How often stale review apps are looked for (daily, on the core's clock; the first check soon after start). */
export const REVIEW_SWEEP_INTERVAL_MS = 24 * 3600 * 1000;
const FIRST_SWEEP_MS = 60 * 1000;

/** Where its reports go (the platform's logger). */
export interface SweepLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * The daily check of review apps: one whose branch saw no push for its pipeline's stale days is
 * destroyed. On the core's clock, so a test moves time instead of waiting for it.
 */
export class ReviewSweeper {
  private cancel: (() => void) | null = null;
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly deps: CoreDeps,
    private readonly log: SweepLog,
  ) {}

  start(firstMs = FIRST_SWEEP_MS): void {
    this.cancel = this.deps.clock.after(firstMs, () => void this.sweep().catch(() => undefined));
  }

  /** One check now; answers the review apps it destroyed. */
  sweep(): Promise<string[]> {
    this.running ??= this.check().finally(() => {
      this.running = null;
      if (this.cancel !== null) this.cancel = this.deps.clock.after(REVIEW_SWEEP_INTERVAL_MS, () => void this.sweep().catch(() => undefined));
    });
    return this.running;
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private async check(): Promise<string[]> {
    try {
      const days = new Map((await this.deps.store.listPipelines()).map((p) => [p.id, p.review?.staleDays ?? null]));
      const stale = staleReviewApps(await this.deps.store.listReviewApps(), (id) => days.get(id) ?? null, this.deps.clock.now());
      const destroyed = await destroyStaleReviewApps({ ...this.deps, actor: 'the review-app check' }, stale);
      if (destroyed.length > 0) this.log.info({ destroyed }, 'stale review apps destroyed');
      return destroyed;
    } catch (error) {
      this.log.error({ err: error }, 'the review-app check failed');
      throw error;
    }
  }
}
