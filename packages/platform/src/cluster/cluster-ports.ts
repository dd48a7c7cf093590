/**
 * The ports of the roles as processes (issue 19, part 1: `dozen serve api|router|builder|runtime`
 * on one PostgreSQL store). Each has a PostgreSQL adapter (cluster/pg-*.ts) and an in-process one,
 * used by `dozen up` (all roles in one process, SQLite or PostgreSQL).
 */

/** Cross-process notifications: PostgreSQL LISTEN/NOTIFY on the process's session connection. */
export interface Notifier {
  /** Payloads are short (at most 7 000 bytes): ids and names, never secrets; the data itself is read from the store. */
  notify(channel: string, payload: string): Promise<void>;
  /** Calls `onPayload` for every notification on `channel` from now on (any process, this one too), until the returned function is called. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface LeaseHandlers {
  /**
   * This process holds the lease from now on (called again after a loss and a new acquisition).
   * `lost()` may come while a start it returns is still under way: that start must then undo itself.
   */
  acquired(): void | Promise<void>;
  /** This process no longer holds it (its session connection went): stop the singleton's work at once. */
  lost(): void;
}

/**
 * Singletons (the reconcile loop of a host, the cron scheduler, GC, the review sweeper): held by
 * one process at a time, as a session-level advisory lock on the process's session connection;
 * another process competing for the same name takes it over when the holder dies.
 */
export interface Leases {
  hold(name: string, handlers: LeaseHandlers): { stop(): Promise<void> };
}

/** The processes of the cluster, as they registered themselves; a member is live while its session connection is. */
export interface ClusterMember {
  id: string;
  role: 'api' | 'router' | 'builder' | 'runtime';
  /** The host (DOZEN_HOST_ID, else the hostname): a runtime's leader and standby share it. */
  host: string;
  /** Where the member serves the others (a runtime leader's relay, an api's URL), or null. */
  url: string | null;
  startedAt: string;
}

export interface Members {
  /** Registers this process (live until it exits); `url` may be set later with `advertise`. */
  join(member: Omit<ClusterMember, 'id' | 'startedAt'>): Promise<ClusterMember>;
  advertise(id: string, url: string | null): Promise<void>;
  /** The live members, oldest first. */
  live(role?: ClusterMember['role']): Promise<ClusterMember[]>;
}

/**
 * Content-addressed artefacts (sources and slugs as archives) kept in the store, so that roles on
 * other machines need no shared disk: the API serves them (GET/PUT /internal/artefacts/<name>)
 * to the builder and runtime roles, who check the sha256 of what they read.
 * Names: `source/<build id>`, `slug/<app id>/<slug id>`.
 */
export interface Artefacts {
  /** Stores `body` under `name`; refuses (ARTEFACT_DIGEST_MISMATCH) when its sha256 (hex) is not `sha256`. */
  put(name: string, sha256: string, body: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }>;
  /** The artefact, or null when there is none of that name. */
  open(name: string): Promise<{ sha256: string; sizeBytes: number; body: AsyncIterable<Uint8Array> } | null>;
  delete(name: string): Promise<void>;
}
