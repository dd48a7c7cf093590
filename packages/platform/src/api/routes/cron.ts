import type { FastifyInstance } from 'fastify';
import type * as Wire from '@dozen/contracts';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { CronRun } from '../../core/model.js';
import { addCronJob, listCronJobs, listCronRuns, removeCronJob, triggerCronJob, type CronJobView } from '../../core/use-cases/cron-jobs.js';
import { getMaintenance, setMaintenance } from '../../core/use-cases/maintenance.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';

/** Scheduled jobs and maintenance mode (issue 17). */
export function cronRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listCronJobs, async ({ params }) => (await listCronJobs(deps, params.app)).map(toWireCronJob));
  jsonRoute(app, routes.addCronJob, async ({ params, body, request }) => toWireCronJob(await addCronJob(acting(deps, request), params.app, body.schedule, body.command)));
  jsonRoute(app, routes.removeCronJob, async ({ params, request }) => toWireCronJob(await removeCronJob(acting(deps, request), params.app, params.job)));
  jsonRoute(app, routes.triggerCronJob, async ({ params, request }) => toWireCronRun(await triggerCronJob(acting(deps, request), params.app, params.job)));
  jsonRoute(app, routes.listCronRuns, async ({ params, query }) => (await listCronRuns(deps, params.app, query.job)).map(toWireCronRun));
  jsonRoute(app, routes.getMaintenance, async ({ params }) => ({ app: params.app, maintenance: await getMaintenance(deps, params.app) }));
  jsonRoute(app, routes.setMaintenance, async ({ params, body, request }) => ({ app: params.app, maintenance: await setMaintenance(acting(deps, request), params.app, body.maintenance) }));
}

function toWireCronJob({ job, nextRunAt }: CronJobView): Wire.CronJob {
  return { id: job.id, schedule: job.schedule, command: job.command, source: job.source, createdAt: job.createdAt, nextRunAt };
}

function toWireCronRun(run: CronRun): Wire.CronRun {
  return { id: run.id, job: run.jobId, scheduledFor: run.scheduledFor, trigger: run.trigger, status: run.status, process: run.process, startedAt: run.startedAt, finishedAt: run.finishedAt, exitCode: run.exitCode, note: run.note };
}
