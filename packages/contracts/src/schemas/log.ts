import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

export const LogSourceSchema = Type.Union([Type.Literal('app'), Type.Literal('router'), Type.Literal('dozen')]);
export type LogSource = Static<typeof LogSourceSchema>;

export const LogLineSchema = Type.Object({
  id: Type.String({ description: 'increasing per app, also across platform restarts; resume a tail after it' }),
  time: Type.String({ description: 'ISO 8601 with microseconds, UTC' }),
  source: LogSourceSchema,
  process: Type.String(),
  message: Type.String(),
});
export type LogLine = Static<typeof LogLineSchema>;

/** Filters shared by the recent-lines route and the live tail; applied by the platform. */
const LogFilterFields = {
  process: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'a process type (web: every web.N) or one process (web.1)' })),
  source: Type.Optional(LogSourceSchema),
  since: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a duration back from now (30s, 10m, 2h, 1d) or an ISO 8601 time' })),
};

export const LogQuery = Type.Object({
  lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  before: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'only lines older than this id: page back through the history' })),
  ...LogFilterFields,
});

export const TailQuery = Type.Object({
  lines: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  ...LogFilterFields,
});

export const LogStatsSchema = Type.Object({
  lines: Type.Integer({ description: 'lines in the history now' }),
  bytes: Type.Integer(),
  firstId: Nullable(Type.String()),
  lastId: Nullable(Type.String()),
  dropped: Type.Integer({ description: 'lines removed from the history (oldest first) since the app began' }),
  droppedByProcess: Type.Record(Type.String(), Type.Integer(), { description: 'dropped lines per source[process]' }),
});
export type LogStats = Static<typeof LogStatsSchema>;

/** A notice in the live tail (`event: notice`): lines skipped, history restarted. */
export const TailNoticeSchema = Type.Object({ message: Type.String() });
export type TailNotice = Static<typeof TailNoticeSchema>;
