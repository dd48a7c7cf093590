import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  time: Type.String({ description: 'ISO 8601' }),
  actor: Type.Object({
    tokenId: Nullable(Type.String()),
    userId: Nullable(Type.String()),
    label: Type.String({ description: "the user's email, `admin` for the host's admin token, `anonymous` without a valid token" }),
  }),
  app: Nullable(Type.String()),
  action: Type.String({ description: 'the route of the API contract (updateConfig, createBuild, ...)' }),
  method: Type.String(),
  path: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'path parameters, query and body; secret values are redacted' }),
  result: Type.Object({ status: Type.Integer(), code: Nullable(Type.String()) }),
  requestId: Type.String(),
  remoteAddress: Type.String(),
});
export type AuditEventWire = Static<typeof AuditEventSchema>;

export const AuditQuery = Type.Object({
  since: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a duration back from now (30s, 10m, 2h, 1d) or an ISO 8601 time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});
