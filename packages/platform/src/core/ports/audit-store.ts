import type { AuditEvent, AuditQuery } from '../model.js';

/** The audit trail: append-only (there is no update or delete, and the store refuses both). */
export interface AuditStore {
  appendAudit(event: AuditEvent): Promise<void>;
  /** The newest `limit` events matching the query, oldest first. */
  listAudit(query: AuditQuery): Promise<AuditEvent[]>;
}
