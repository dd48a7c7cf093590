import { Type, type Static } from 'typebox';

export const LogSourceSchema = Type.Union([Type.Literal('app'), Type.Literal('router'), Type.Literal('dozen')]);
export type LogSource = Static<typeof LogSourceSchema>;

export const LogLineSchema = Type.Object({
  id: Type.String({ description: 'monotonic per app; resume a tail after it' }),
  time: Type.String({ description: 'ISO 8601 with microseconds, UTC' }),
  source: LogSourceSchema,
  process: Type.String(),
  message: Type.String(),
});
export type LogLine = Static<typeof LogLineSchema>;

export const LogQuery = Type.Object({
  lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});
