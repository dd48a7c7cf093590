import type { CoreDeps } from '../deps.js';
import type { AuditEvent } from '../model.js';
import { parseSince } from '../since.js';
import { requireApp } from './apps.js';

export type AuditEntry = Omit<AuditEvent, 'id' | 'time'>;

export interface AuditListInput {
  since?: string | undefined;
  limit?: number | undefined;
}

const DEFAULT_LIMIT = 100;

/** Records one state-changing request (append-only). */
export async function recordAudit(deps: Pick<CoreDeps, 'store' | 'ids' | 'clock'>, entry: AuditEntry): Promise<AuditEvent> {
  const event: AuditEvent = { id: deps.ids.next(), time: deps.clock.now().toISOString(), ...entry };
  await deps.store.appendAudit(event);
  return event;
}

/** The platform's whole trail (admin). */
export function listAudit(deps: Pick<CoreDeps, 'store' | 'clock'>, input: AuditListInput): Promise<AuditEvent[]> {
  return deps.store.listAudit(toQuery(deps, undefined, input));
}

/** One app's trail; the app must exist (its name may have been used before: events stay after a destroy). */
export async function listAppAudit(deps: CoreDeps, appName: string, input: AuditListInput): Promise<AuditEvent[]> {
  const app = await requireApp(deps, appName);
  return deps.store.listAudit(toQuery(deps, app.name, input));
}

function toQuery(deps: Pick<CoreDeps, 'clock'>, app: string | undefined, input: AuditListInput) {
  const sinceMs = input.since === undefined ? undefined : parseSince(input.since, deps.clock.now().getTime(), 'AUDIT_QUERY_INVALID');
  return { app, sinceMs, limit: input.limit ?? DEFAULT_LIMIT };
}
