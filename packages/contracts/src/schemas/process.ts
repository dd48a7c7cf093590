import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from './common.js';

export const ProcessStateSchema = Type.Union([
  Type.Literal('starting'),
  Type.Literal('up'),
  Type.Literal('crashed'),
  Type.Literal('stopping'),
]);
export type ProcessState = Static<typeof ProcessStateSchema>;

export const ProcessSchema = Type.Object({
  name: Type.String({ description: 'type.index, e.g. web.1' }),
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
});
export type ProcessInfo = Static<typeof ProcessSchema>;

export const RestartBody = Type.Object({ type: Type.Optional(Type.String({ maxLength: 64 })) });
