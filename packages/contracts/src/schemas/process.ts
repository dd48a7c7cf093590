import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

export const ProcessStateSchema = Type.Union([
  Type.Literal('starting'),
  Type.Literal('up'),
  Type.Literal('crashed'),
  Type.Literal('stopping'),
]);
export type ProcessState = Static<typeof ProcessStateSchema>;

export const ProcessSchema = Type.Object({
  name: Type.String({ description: 'type.index, e.g. web.1 (one-offs: run.4821, release.7)' }),
  type: Type.String(),
  index: Type.Integer(),
  release: Type.Integer(),
  state: ProcessStateSchema,
  command: Type.String(),
  pid: Nullable(Type.Integer()),
  port: Nullable(Type.Integer()),
  startedAt: Nullable(Timestamp),
  restarts: Type.Integer(),
  lastExit: Nullable(Type.String()),
  nextRestartAt: Nullable(Timestamp),
  rssBytes: Nullable(Type.Integer({ description: 'memory of all its processes: anonymous plus the tmpfs pages it wrote where cgroups are enforced (what counts against the quota), resident memory otherwise' })),
  cpuSeconds: Nullable(Type.Number({ description: 'CPU time (user + system) of all its processes since it started, in seconds: from its cgroup where limits are enforced, else from /proc' })),
  size: Nullable(Type.String({ description: 'its process size' })),
  memoryQuotaBytes: Nullable(Type.Integer({ description: 'its memory quota (R14 over it; killed at twice it, R15); null when not enforced' })),
  sandboxed: Type.Boolean({ description: 'false: the platform runs apps unsandboxed (see its start log)' }),
});
export type ProcessInfo = Static<typeof ProcessSchema>;

export const RestartBody = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 64, description: 'a process type (web) or one process (web.2)' })),
});

export const ProcessParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), process: Type.String({ minLength: 1, maxLength: 80 }) });
export const ProcessTypeParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), type: Type.String({ minLength: 1, maxLength: 64 }) });

export const RolloutStrategySchema = Type.Union([Type.Literal('start-first'), Type.Literal('stop-first')]);

export const ProcessTypeSchema = Type.Object({
  type: Type.String(),
  command: Type.String(),
  quantity: Type.Integer(),
  graceSeconds: Type.Integer(),
  bootTimeoutSeconds: Type.Integer(),
  strategy: RolloutStrategySchema,
  size: Type.String({ description: 'the process size: memory quota, pids, CPU weight, /tmp (docs/decisions.md)' }),
  custom: Type.Array(Type.String(), { description: 'the settings this type sets itself; the others are the defaults' }),
});
export type ProcessTypeInfo = Static<typeof ProcessTypeSchema>;

export const ProcessTypeUpdateBody = Type.Object(
  {
    graceSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3600 }))),
    bootTimeoutSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3600 }))),
    strategy: Type.Optional(Nullable(RolloutStrategySchema)),
    size: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  },
  { additionalProperties: false, description: 'null returns a setting to the default' },
);
export type ProcessTypeUpdate = Static<typeof ProcessTypeUpdateBody>;

export const PlannedActionSchema = Type.Object({
  action: Type.Union([Type.Literal('start'), Type.Literal('restart'), Type.Literal('stop')]),
  process: Type.String(),
  release: Type.Integer(),
  reason: Nullable(Type.String()),
});

export const PlanSchema = Type.Object({
  app: Type.String(),
  release: Type.Integer({ description: 'the release the plan converges to' }),
  steps: Type.Array(Type.Array(PlannedActionSchema), { description: 'each step starts once the previous one took effect' }),
});
export type Plan = Static<typeof PlanSchema>;

export const DeployPlanBody = Type.Object({
  procfile: Type.Optional(Type.String({ maxLength: 64 * 1024, description: 'the Procfile to deploy; default: the current process types' })),
});

export const RunBody = Type.Object({
  command: Type.Array(Type.String({ maxLength: 64 * 1024 }), { minItems: 1, maxItems: 1000 }),
  timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  size: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'its process size (default standard-1x)' })),
});

export const RunStartedSchema = Type.Object({ process: Type.String(), release: Type.Integer() });
