/**
 * The PostgreSQL advisory locks of the store (one bigint key each: "dozen" in ASCII and a number).
 * Constants, so that all the processes of one database agree on them; nothing else in the
 * database is expected to take them. Future singletons (leases) take keys of this family too.
 */
export const ADVISORY_LOCKS = {
  /** Session-level, on a dedicated connection, around the migrations of a start. */
  migrations: 0x646f7a656e01,
  /** Transaction-level, first thing in each store transaction: they serialise as on SQLite. */
  transactions: 0x646f7a656e02,
  /**
   * Session-level, the leases of the roles (cluster/pg-leases.ts): taken in the two-int key space
   * (which never meets the bigint one), as this family's low 31 bits and a hash of the lease name.
   */
  leases: 0x646f7a656e03,
} as const;
