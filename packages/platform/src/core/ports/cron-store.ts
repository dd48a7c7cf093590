import type { CronJob, CronRun } from '../model.js';

/** Scheduled jobs, their runs, and the apps' maintenance flag (issue 17). */
export interface CronStore {
  insertCronJob(job: CronJob): Promise<void>;
  /** One app's jobs, or every app's (the scheduler), oldest first. */
  listCronJobs(appId?: string): Promise<CronJob[]>;
  deleteCronJob(appId: string, jobId: string): Promise<void>;
  /** Replaces the app's `app.json` jobs with these (its `cli` jobs stay), in one transaction. */
  replaceAppJsonCronJobs(appId: string, jobs: CronJob[]): Promise<void>;
  insertCronRun(run: CronRun): Promise<void>;
  finishCronRun(runId: string, patch: Pick<CronRun, 'status' | 'finishedAt' | 'exitCode' | 'note'>): Promise<void>;
  /** Newest first. */
  listCronRuns(appId: string, options: { jobId?: string; limit: number }): Promise<CronRun[]>;
  /** The latest `scheduledFor` of a job's scheduled runs (not the manual ones; the missed-run rule), or null. */
  lastCronSchedule(jobId: string): Promise<string | null>;
  /** Runs still `running` (their end was not seen: the control plane stopped) -> `failed` with `note`; how many. */
  abandonCronRuns(finishedAt: string, note: string): Promise<number>;
  /** How many runs of the app had a process: `scheduler.N` takes the next N. */
  countCronProcesses(appId: string): Promise<number>;
  setMaintenance(appId: string, on: boolean): Promise<void>;
  getMaintenance(appId: string): Promise<boolean>;
  /** The ids of the apps in maintenance mode. */
  listMaintenance(): Promise<string[]>;
}
