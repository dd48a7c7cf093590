import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

export const DrainSchema = Type.Object({
  id: Type.String(),
  url: Type.String({ description: 'with credentials masked' }),
  kind: Type.Union([Type.Literal('syslog'), Type.Literal('syslog+tls'), Type.Literal('https')]),
  createdAt: Timestamp,
  delivered: Type.Integer({ description: 'messages the endpoint accepted since the platform started' }),
  dropped: Type.Integer({ description: 'messages lost: buffer overflow (oldest first) or refused for good (4xx)' }),
  retries: Type.Integer(),
  queued: Type.Integer({ description: 'messages waiting in the buffer or in flight' }),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Timestamp),
});
export type Drain = Static<typeof DrainSchema>;

export const CreateDrainBody = Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }) });

/** `:drain` is the drain's id, or its URL (percent-encoded). */
export const DrainParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), drain: Type.String({ minLength: 1, maxLength: 2048 }) });
