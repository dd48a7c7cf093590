import type { Kysely } from 'kysely';
import type { AuditEvent, AuditQuery } from '../core/model.js';
import { dialectOf } from './dialect.js';
import { sql } from './kysely-runtime.js';
import type { AuditEventsTable, Database } from './schema.js';

/**
 * The audit trail's table: append (with the next `seq`, in the same statement) and read. On
 * PostgreSQL two appends of one moment (or of two processes) would read the same MAX(seq): the
 * table is locked for writes first, in the append's transaction (SQLite writes one at a time).
 */
export async function appendAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  const append = async (trx: Kysely<Database>) => {
    if (dialectOf(trx) === 'postgres') await sql`LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    await trx
      .insertInto('audit_events')
      .values({ seq: sql<number>`(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)`, ...toAuditRow(event) })
      .execute();
  };
  if (db.isTransaction || dialectOf(db) === 'sqlite') await append(db);
  else await db.transaction().execute(append);
}

export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditEvent[]> {
  let select = db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(query.limit);
  if (query.app !== undefined) select = select.where('app', '=', query.app);
  if (query.sinceMs !== undefined) select = select.where('time', '>=', new Date(query.sinceMs).toISOString());
  return (await select.execute()).reverse().map(fromAuditRow);
}

function toAuditRow(event: AuditEvent): Omit<AuditEventsTable, 'seq'> {
  return {
    id: event.id,
    time: event.time,
    actor_token_id: event.actor.tokenId,
    actor_user_id: event.actor.userId,
    actor_label: event.actor.label,
    app: event.app,
    action: event.action,
    method: event.method,
    path: event.path,
    params: JSON.stringify(event.params),
    status: event.result.status,
    code: event.result.code,
    request_id: event.requestId,
    remote_address: event.remoteAddress,
  };
}

function fromAuditRow(row: AuditEventsTable): AuditEvent {
  return {
    id: row.id,
    time: row.time,
    actor: { tokenId: row.actor_token_id, userId: row.actor_user_id, label: row.actor_label },
    app: row.app,
    action: row.action,
    method: row.method,
    path: row.path,
    params: JSON.parse(row.params) as Record<string, unknown>,
    result: { status: row.status, code: row.code },
    requestId: row.request_id,
    remoteAddress: row.remote_address,
  };
}
