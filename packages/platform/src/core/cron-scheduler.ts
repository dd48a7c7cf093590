import { nextMinute, isDue, missedRun } from './cron-timing.js';
import type { CoreDeps } from './deps.js';
import type { App, CronJob, CronRun } from './model.js';
import { platformEvent } from './use-cases/platform-event.js';
import { currentRunTarget } from './use-cases/run-target.js';

/** What the core asks of the scheduler (`deps.cron`): run a job now (Heroku Scheduler's "Run now"), stop at shutdown. */
export type CronRunner = CoreDeps['cron'];

/** Where the scheduler's own failures go (the platform's logger). */
export type CronErrorLog = (error: unknown, message: string) => void;

/**
 * Scheduled jobs (Heroku Scheduler), on the core's clock, in UTC: at each minute boundary every
 * job due then starts as a one-off process `scheduler.N` of its app's current release (output in
 * the log stream as `app[scheduler.N]`). A job whose previous run still runs is skipped, with a
 * `dozen[scheduler]` line and a `skipped` run. At start, a job that was due while the platform
 * was down runs once (only its latest missed time).
 */
export class CronScheduler implements CronRunner {
  private cancel: (() => void) | null = null;
  private stopped = false;
  private lastTick = 0;
  /** job id -> the name of its running process. */
  private readonly running = new Map<string, string>();
  /** Fires one at a time: `scheduler.N` numbers are taken in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: CoreDeps,
    private readonly onError: CronErrorLog = () => undefined,
  ) {}

  /** One for `deps`, set as `deps.cron`. */
  static attach(deps: CoreDeps, onError?: CronErrorLog): CronScheduler {
    const scheduler = new CronScheduler(deps, onError);
    deps.cron = scheduler;
    return scheduler;
  }

  async start(): Promise<void> {
    const now = this.deps.clock.now();
    // Runs of a previous control plane: their one-offs ended with its connection to the edge.
    await this.deps.store.abandonCronRuns(now.toISOString(), 'the platform stopped while it ran; its end was not recorded');
    this.lastTick = Math.floor(now.getTime() / 60_000) * 60_000;
    const apps = await this.appsById();
    for (const job of await this.deps.store.listCronJobs()) {
      const app = apps.get(job.appId);
      const last = await this.deps.store.lastCronSchedule(job.id);
      const missed = app ? missedRun(job, last, now) : null;
      if (app && missed) await this.fire(app, job, missed, 'missed');
    }
    this.plan();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  trigger(app: App, job: CronJob): Promise<CronRun> {
    return this.fire(app, job, this.deps.clock.now(), 'manual');
  }

  private plan(): void {
    if (this.stopped) return;
    const now = this.deps.clock.now().getTime();
    const minute = nextMinute(now, this.lastTick);
    this.cancel = this.deps.clock.after(minute - now, () => void this.tick(minute));
  }

  private async tick(minute: number): Promise<void> {
    this.lastTick = minute;
    try {
      const apps = await this.appsById();
      for (const job of await this.deps.store.listCronJobs()) {
        const app = apps.get(job.appId);
        if (app && isDue(job, minute)) await this.fire(app, job, new Date(minute), 'schedule');
      }
    } catch (error) {
      this.onError(error, 'scheduled jobs: the tick failed');
    }
    this.plan();
  }

  private fire(app: App, job: CronJob, scheduledFor: Date, trigger: CronRun['trigger']): Promise<CronRun> {
    const fired = this.queue.then(() => this.launch(app, job, scheduledFor, trigger));
    this.queue = fired.catch(() => undefined);
    return fired;
  }

  private async launch(app: App, job: CronJob, scheduledFor: Date, trigger: CronRun['trigger']): Promise<CronRun> {
    const { deps } = this;
    const now = deps.clock.now().toISOString();
    const run: CronRun = { id: deps.ids.next(), jobId: job.id, appId: app.id, scheduledFor: scheduledFor.toISOString(), trigger, status: 'running', process: null, startedAt: now, finishedAt: null, exitCode: null, note: null };
    const previous = this.running.get(job.id);
    const target = previous === undefined ? await currentRunTarget(deps, app) : null;
    if (previous !== undefined || target === null) {
      const note = previous !== undefined ? `its previous run ${previous} is still running` : `${app.name} has no deployed release`;
      Object.assign(run, { status: previous !== undefined ? 'skipped' : 'failed', finishedAt: now, note });
      await deps.store.insertCronRun(run);
      platformEvent(deps, app.name, 'scheduler', `Skipped job ${job.id} (\`${job.command.join(' ')}\`, due ${run.scheduledFor}): ${note}`);
      return run;
    }
    run.process = `scheduler.${(await deps.store.countCronProcesses(app.id)) + 1}`;
    await deps.store.insertCronRun(run);
    this.running.set(job.id, run.process);
    const how = trigger === 'manual' ? 'run now' : trigger === 'missed' ? `missed at ${run.scheduledFor}, run once at start` : job.schedule;
    platformEvent(deps, app.name, 'scheduler', `Starting process ${run.process} with command \`${job.command.join(' ')}\` (job ${job.id}, ${how})`);
    try {
      const process = deps.runtime.runOneOff(target, { command: job.command, name: run.process, onStdout: () => undefined, onStderr: () => undefined });
      process.endStdin();
      void process.exit.then(
        ({ code, signal }) => this.finished(job, run, code, signal),
        (error: unknown) => this.finished(job, run, null, (error as Error).message),
      );
    } catch (error) {
      await this.finished(job, run, null, (error as Error).message);
    }
    return run;
  }

  private async finished(job: CronJob, run: CronRun, code: number | null, signal: string | null): Promise<void> {
    this.running.delete(job.id);
    const note = code === null ? `ended by ${signal ?? 'an unknown cause'}` : null;
    try {
      await this.deps.store.finishCronRun(run.id, { status: code === 0 ? 'ran' : 'failed', finishedAt: this.deps.clock.now().toISOString(), exitCode: code, note });
    } catch (error) {
      this.onError(error, `scheduled jobs: could not record the end of ${run.process ?? run.id}`);
    }
  }

  private async appsById(): Promise<Map<string, App>> {
    return new Map((await this.deps.store.listApps()).map((app) => [app.id, app]));
  }
}
