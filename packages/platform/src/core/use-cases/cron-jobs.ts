import { DozenError } from '@dozen/contracts/errors';
import { nextRun, parseCron } from '../cron-expression.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, AppJsonCronEntry, CronJob, CronRun } from '../model.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';

/** At most this many jobs per app (Heroku Scheduler has no published limit; Dozen keeps a table small). */
export const MAX_CRON_JOBS_PER_APP = 50;
const RUNS_LIMIT = 100;

export interface CronJobView {
  job: CronJob;
  /** The next time it is due (UTC), null if never. */
  nextRunAt: string | null;
}

function view(deps: CoreDeps, job: CronJob): CronJobView {
  return { job, nextRunAt: nextRun(parseCron(job.schedule), deps.clock.now())?.toISOString() ?? null };
}

export async function listCronJobs(deps: CoreDeps, appName: string): Promise<CronJobView[]> {
  const app = await requireApp(deps, appName);
  return (await deps.store.listCronJobs(app.id)).map((job) => view(deps, job));
}

/** `dozen cron:add "*\/10 * * * *" -- CMD`: checked (the field that does not parse is named), stored, due from the next minute. */
export async function addCronJob(deps: ActingDeps, appName: string, schedule: string, command: string[]): Promise<CronJobView> {
  const app = await requireApp(deps, appName);
  parseCron(schedule);
  assertCommand(command);
  return deps.locks.run(`cron:${app.id}`, async () => {
    const jobs = await deps.store.listCronJobs(app.id);
    if (jobs.length >= MAX_CRON_JOBS_PER_APP) throw new DozenError('CRON_LIMIT_REACHED', `${appName} already has ${jobs.length} scheduled jobs.`);
    const job: CronJob = { id: deps.ids.next(), appId: app.id, schedule: schedule.trim(), command, source: 'cli', createdAt: deps.clock.now().toISOString() };
    await deps.store.insertCronJob(job);
    platformEvent(deps, appName, 'api', `Added scheduled job ${job.id} (${job.schedule}) \`${command.join(' ')}\` by ${deps.actor}`);
    return view(deps, job);
  });
}

export async function removeCronJob(deps: ActingDeps, appName: string, jobId: string): Promise<CronJobView> {
  const { app, job } = await requireJob(deps, appName, jobId);
  if (job.source === 'app.json') throw new DozenError('CRON_JOB_READ_ONLY', `The job ${job.id} of ${appName} comes from app.json \`cron\`; the next deploy would bring it back.`);
  await deps.store.deleteCronJob(app.id, job.id);
  platformEvent(deps, appName, 'api', `Removed scheduled job ${job.id} (${job.schedule}) \`${job.command.join(' ')}\` by ${deps.actor}`);
  return view(deps, job);
}

export async function listCronRuns(deps: CoreDeps, appName: string, jobId?: string): Promise<CronRun[]> {
  const app = await requireApp(deps, appName);
  if (jobId !== undefined) await requireJob(deps, appName, jobId);
  return deps.store.listCronRuns(app.id, { ...(jobId === undefined ? {} : { jobId }), limit: RUNS_LIMIT });
}

/** Heroku Scheduler's "Run now": the job runs at once, as at its time (skipped if its previous run still runs). */
export async function triggerCronJob(deps: ActingDeps, appName: string, jobId: string): Promise<CronRun> {
  const { app, job } = await requireJob(deps, appName, jobId);
  platformEvent(deps, appName, 'api', `Run now of scheduled job ${job.id} by ${deps.actor}`);
  return deps.cron.trigger(app, job);
}

/** A deploy whose slug has app.json: its `cron` replaces the app's app.json jobs (`dozen cron:add` jobs stay). */
export async function applyAppJsonCron(deps: CoreDeps, app: App, entries: AppJsonCronEntry[] | undefined, say: (line: string) => void): Promise<void> {
  if (entries === undefined) return;
  const before = (await deps.store.listCronJobs(app.id)).filter((job) => job.source === 'app.json');
  const same = before.length === entries.length && before.every((job, i) => job.schedule === entries[i]?.schedule && job.command[0] === entries[i]?.command);
  if (same) return;
  // One millisecond apart: jobs are listed by creation time (then by their random ids), so this keeps app.json's order.
  const now = deps.clock.now().getTime();
  const jobs = entries.map((entry, i): CronJob => ({ id: deps.ids.next(), appId: app.id, schedule: entry.schedule, command: [entry.command], source: 'app.json', createdAt: new Date(now + i).toISOString() }));
  await deps.store.replaceAppJsonCronJobs(app.id, jobs);
  say(`-----> Scheduled jobs from app.json: ${jobs.length} (replacing ${before.length})`);
  platformEvent(deps, app.name, 'deploy', `Scheduled jobs from app.json: ${jobs.map((job) => `${job.schedule} \`${job.command[0]}\``).join(', ') || 'none'}`);
}

async function requireJob(deps: CoreDeps, appName: string, jobId: string): Promise<{ app: App; job: CronJob }> {
  const app = await requireApp(deps, appName);
  const job = (await deps.store.listCronJobs(app.id)).find((candidate) => candidate.id === jobId);
  if (!job) throw new DozenError('CRON_JOB_NOT_FOUND', `${appName} has no scheduled job ${JSON.stringify(jobId.slice(0, 64))}.`);
  return { app, job };
}

function assertCommand(command: string[]): void {
  if (command.length === 0 || command[0] === '' || command.some((arg) => typeof arg !== 'string' || arg.includes('\u0000'))) {
    throw new DozenError('RUN_COMMAND_INVALID', 'The command of a scheduled job is empty or contains a NUL byte.', { hint: 'Give the command after `--`, e.g. `dozen cron:add "0 3 * * *" -a APP -- node scripts/nightly.js`.' });
  }
}
