import { nextBackupAt } from './backup-schedule.js';
import type { CoreDeps } from './deps.js';
import { createBackup } from './use-cases/backups.js';

/** The scheduler wakes up at least this often, so a clock change or a missed timer is caught up. */
const MAX_SLEEP_MS = 3600 * 1000;

/**
 * Scheduled backups (DOZEN_BACKUP_SCHEDULE), on the core's clock: the next one is due a schedule
 * step after the newest scheduled archive; a failure is kept as the last backup (for `dozen
 * status`) and tried again at the next step.
 */
export class BackupScheduler {
  private cancel: (() => void) | null = null;
  private stopped = false;
  private lastScheduled: Date | null = null;

  constructor(private readonly deps: CoreDeps) {}

  async start(): Promise<void> {
    if (this.deps.backups.schedule.kind === 'off') return;
    const newest = (await this.deps.backups.archives.list()).find((b) => b.scheduled);
    this.lastScheduled = newest ? new Date(newest.createdAt) : null;
    this.plan();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private plan(): void {
    if (this.stopped) return;
    const { clock, backups } = this.deps;
    const now = clock.now();
    const next = nextBackupAt(backups.schedule, this.lastScheduled, now);
    backups.state.next = next;
    if (next === null) return;
    const wait = next.getTime() - now.getTime();
    this.cancel = clock.after(Math.max(0, Math.min(wait, MAX_SLEEP_MS)), () => {
      if (wait > MAX_SLEEP_MS) return this.plan();
      void this.run();
    });
  }

  private async run(): Promise<void> {
    const started = this.deps.clock.now();
    try {
      await createBackup(this.deps, { withCaches: false, scheduled: true });
    } catch {
      // Kept in state.last for `dozen status`; the next step tries again.
    }
    this.lastScheduled = started;
    this.plan();
  }
}
