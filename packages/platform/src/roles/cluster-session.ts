import type { Kysely } from 'kysely';
import type { PlatformConfig } from '../config.js';
import type { Role } from '../cluster/cluster-config.js';
import type { Leases, Members, Notifier } from '../cluster/cluster-ports.js';
import { PgLeases } from '../cluster/pg-leases.js';
import { PgMembers } from '../cluster/pg-members.js';
import { PgNotifier } from '../cluster/pg-notifier.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { SessionConnection, storeUnreachable } from '../store/pg-session-connection.js';

/**
 * A role process's one dedicated session connection to the PostgreSQL store (LISTEN, the leases'
 * advisory locks, its membership), never a pooled one (docs/scale-out.md, PgBouncer), and the
 * cluster ports on it.
 */
export interface ClusterSession {
  /** The connection itself (build output followers watch its writer's server session). */
  session: SessionConnection;
  notifier: Notifier;
  leases: Leases;
  /** Members, on the store's database (its rows) and this session (live while it is). */
  members(db: Kysely<unknown>): Members;
  close(): Promise<void>;
}

/** The store's database as the cluster's tables see it (their own row types). */
export function clusterDb(store: KyselyStore): Kysely<unknown> {
  return store.kysely as unknown as Kysely<unknown>;
}

/** How soon a lost session connection is replaced (its leases are lost meanwhile). */
const RECONNECT_MS = 1000;

export async function openClusterSession(config: PlatformConfig, role: Role): Promise<ClusterSession> {
  if (config.store.kind !== 'postgres') throw new Error(`dozen serve ${role} needs a PostgreSQL store`);
  const url = config.store.url;
  const session = await SessionConnection.open(url, `dozen-${role}`, { reconnectMs: RECONNECT_MS }).catch((error: unknown) => {
    throw storeUnreachable(url, error);
  });
  let members: Members | null = null;
  return {
    session,
    notifier: new PgNotifier(session),
    leases: new PgLeases(session),
    members: (db) => (members ??= new PgMembers(db, session)),
    close: () => session.close(),
  };
}
