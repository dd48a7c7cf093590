import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

const Column = (description: string) => Type.Array(Nullable(Type.Number()), { description });

export const MetricsQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a duration back from now (30m, 2h, 1d) or an ISO 8601 time; default 24h (what is kept)' })),
  step: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'seconds per point, rounded up to a whole multiple of the recording step (DOZEN_METRICS_STEP_SECONDS, 60 by default); default: the recording step' })),
});

export const ProcessMetricsSchema = Type.Object({
  name: Type.String({ description: 'web.1' }),
  memoryBytes: Column('the most memory seen in the step'),
  cpuPercent: Column('CPU used in the step, in % of one core'),
  restarts: Column('restarts in the step'),
});

export const DeployMarkerSchema = Type.Object({
  version: Type.Integer(),
  createdAt: Timestamp,
  description: Type.String({ description: 'why: Deploy abc1234, Set FOO config vars, Rollback to v3, ...' }),
  status: Type.String(),
});

/** Columns of equal length, one entry per step (uPlot's shape); null where nothing was recorded. */
export const AppMetricsSchema = Type.Object({
  app: Type.String(),
  stepSeconds: Type.Integer(),
  times: Type.Array(Type.Integer(), { description: 'the start of each step, seconds since the epoch; the last is the step in progress' }),
  status: Type.Object({ '1xx': Column('responses'), '2xx': Column('responses'), '3xx': Column('responses'), '4xx': Column('responses'), '5xx': Column('responses') }, { description: 'responses the router answered per step, per status class' }),
  latencyMs: Type.Object({ p50: Column('ms'), p95: Column('ms'), p99: Column('ms') }, { description: "percentiles of the router's request duration per step, estimated from its histogram" }),
  processes: Type.Array(ProcessMetricsSchema),
  deploys: Type.Array(DeployMarkerSchema, { description: 'releases created since `since`, oldest first' }),
});
export type AppMetrics = Static<typeof AppMetricsSchema>;
