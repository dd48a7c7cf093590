import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

/** A scheduled job (issue 17): `dozen cron:add` or app.json `cron`. */
export const CronJobSchema = Type.Object({
  id: Type.String(),
  schedule: Type.String({ description: 'cron expression, UTC' }),
  command: Type.Array(Type.String(), { description: 'one argument: run by the shell; several: passed as they are' }),
  source: Type.Union([Type.Literal('cli'), Type.Literal('app.json')]),
  createdAt: Timestamp,
  nextRunAt: Nullable(Timestamp),
});
export type CronJob = Static<typeof CronJobSchema>;

export const CronRunSchema = Type.Object({
  id: Type.String(),
  job: Type.String(),
  scheduledFor: Timestamp,
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('missed'), Type.Literal('manual')]),
  status: Type.Union([Type.Literal('running'), Type.Literal('ran'), Type.Literal('failed'), Type.Literal('skipped')]),
  process: Nullable(Type.String({ description: 'scheduler.N' })),
  startedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  exitCode: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
});
export type CronRun = Static<typeof CronRunSchema>;

export const CreateCronJobBody = Type.Object({
  schedule: Type.String({ minLength: 1, maxLength: 256 }),
  command: Type.Array(Type.String({ maxLength: 64 * 1024 }), { minItems: 1, maxItems: 1000 }),
});

export const CronJobParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), job: Type.String({ minLength: 1, maxLength: 256 }) });

export const CronRunsQuery = Type.Object({ job: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) });

/** Maintenance mode: the router answers 503 (H80) for the app. */
export const MaintenanceSchema = Type.Object({ app: Type.String(), maintenance: Type.Boolean() });
export type Maintenance = Static<typeof MaintenanceSchema>;

export const MaintenanceBody = Type.Object({ maintenance: Type.Boolean() }, { additionalProperties: false });
