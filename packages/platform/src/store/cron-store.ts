import type { CronJob, CronRun } from '../core/model.js';
import type { CronStore } from '../core/ports/cron-store.js';
import type { Store } from '../core/ports/store.js';
import type { CronJobsTable, CronRunsTable } from './schema.js';
import { KyselySlugsStore } from './slugs-store.js';

/** Scheduled jobs, their runs and maintenance mode on Kysely (issue 17). KyselyStore extends it. */
export abstract class KyselyCronStore extends KyselySlugsStore implements CronStore {
  async insertCronJob(job: CronJob): Promise<void> {
    await this.db.insertInto('cron_jobs').values(toJobRow(job)).execute();
  }

  async listCronJobs(appId?: string): Promise<CronJob[]> {
    let query = this.db.selectFrom('cron_jobs').selectAll().orderBy('created_at').orderBy('id');
    if (appId !== undefined) query = query.where('app_id', '=', appId);
    return (await query.execute()).map(fromJobRow);
  }

  async deleteCronJob(appId: string, jobId: string): Promise<void> {
    await this.db.deleteFrom('cron_jobs').where('app_id', '=', appId).where('id', '=', jobId).execute();
  }

  abstract transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  async replaceAppJsonCronJobs(appId: string, jobs: CronJob[]): Promise<void> {
    await this.transaction(async (tx) => {
      const trx = (tx as unknown as KyselyCronStore).db;
      await trx.deleteFrom('cron_jobs').where('app_id', '=', appId).where('source', '=', 'app.json').execute();
      if (jobs.length > 0) await trx.insertInto('cron_jobs').values(jobs.map(toJobRow)).execute();
    });
  }

  async insertCronRun(run: CronRun): Promise<void> {
    await this.db.insertInto('cron_runs').values(toRunRow(run)).execute();
  }

  async finishCronRun(runId: string, patch: Pick<CronRun, 'status' | 'finishedAt' | 'exitCode' | 'note'>): Promise<void> {
    await this.db.updateTable('cron_runs').set({ status: patch.status, finished_at: patch.finishedAt, exit_code: patch.exitCode, note: patch.note }).where('id', '=', runId).execute();
  }

  async listCronRuns(appId: string, options: { jobId?: string; limit: number }): Promise<CronRun[]> {
    let query = this.db.selectFrom('cron_runs').selectAll().where('app_id', '=', appId);
    if (options.jobId !== undefined) query = query.where('job_id', '=', options.jobId);
    return (await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute()).map(fromRunRow);
  }

  async lastCronSchedule(jobId: string): Promise<string | null> {
    const row = await this.db.selectFrom('cron_runs').select((eb) => eb.fn.max('scheduled_for').as('last')).where('job_id', '=', jobId).where('trigger', '!=', 'manual').executeTakeFirst();
    return (row?.last as string | null | undefined) ?? null;
  }

  async abandonCronRuns(finishedAt: string, note: string): Promise<number> {
    const result = await this.db.updateTable('cron_runs').set({ status: 'failed', finished_at: finishedAt, note }).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async countCronProcesses(appId: string): Promise<number> {
    const row = await this.db.selectFrom('cron_runs').select((eb) => eb.fn.countAll().as('n')).where('app_id', '=', appId).where('process', 'is not', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async setMaintenance(appId: string, on: boolean): Promise<void> {
    await this.db.updateTable('apps').set({ maintenance: on ? 1 : 0 }).where('id', '=', appId).execute();
  }

  async getMaintenance(appId: string): Promise<boolean> {
    const row = await this.db.selectFrom('apps').select('maintenance').where('id', '=', appId).executeTakeFirst();
    return Number(row?.maintenance ?? 0) === 1;
  }

  async listMaintenance(): Promise<string[]> {
    return (await this.db.selectFrom('apps').select('id').where('maintenance', '=', 1).execute()).map((row) => row.id);
  }
}

function toJobRow(job: CronJob): CronJobsTable {
  return { id: job.id, app_id: job.appId, schedule: job.schedule, command: JSON.stringify(job.command), source: job.source, created_at: job.createdAt };
}

function fromJobRow(row: CronJobsTable): CronJob {
  return { id: row.id, appId: row.app_id, schedule: row.schedule, command: JSON.parse(row.command) as string[], source: row.source as CronJob['source'], createdAt: row.created_at };
}

function toRunRow(run: CronRun): CronRunsTable {
  return {
    id: run.id, job_id: run.jobId, app_id: run.appId, scheduled_for: run.scheduledFor, trigger: run.trigger, status: run.status,
    process: run.process, started_at: run.startedAt, finished_at: run.finishedAt, exit_code: run.exitCode, note: run.note,
  };
}

function fromRunRow(row: CronRunsTable): CronRun {
  return {
    id: row.id, jobId: row.job_id, appId: row.app_id, scheduledFor: row.scheduled_for, trigger: row.trigger as CronRun['trigger'], status: row.status as CronRun['status'],
    process: row.process, startedAt: row.started_at, finishedAt: row.finished_at, exitCode: row.exit_code === null ? null : Number(row.exit_code), note: row.note,
  };
}
