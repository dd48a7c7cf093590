import { createHash } from 'node:crypto';
import { ADVISORY_LOCKS } from '../store/advisory-locks.js';
import type { SessionConnection } from '../store/pg-session-connection.js';
import type { LeaseHandlers, Leases } from './cluster-ports.js';

export interface PgLeasesOptions {
  /** How often a standby tries to take a lease, and a holder checks its connection (ms); default 1000. */
  pollMs?: number;
  /** A holder's check that does not answer within this drops the connection (ms); default 5000. */
  checkTimeoutMs?: number;
}

/** The advisory lock of a lease: the family of ADVISORY_LOCKS (low 31 bits) and 32 bits of sha256(name). */
export function leaseKey(name: string): [number, number] {
  return [ADVISORY_LOCKS.leases % 2 ** 31, createHash('sha256').update(name).digest().readInt32BE(0)];
}

/**
 * Leases as session-level advisory locks on the process's session connection. A standby tries
 * `pg_try_advisory_lock` every `pollMs`; the server releases a lock when its session ends, so a
 * standby takes over within about `pollMs` of the holder's death. A holder checks its connection
 * every `pollMs` too (a query that does not answer within `checkTimeoutMs` drops the connection), and is
 * told `lost()` the moment the connection goes; after a reconnection it competes again like any
 * standby, after three polls (the standbys that were waiting go first). One process holds a name at most once (advisory locks are re-entrant in a session).
 */
export class PgLeases implements Leases {
  private readonly names = new Set<string>();
  private readonly pollMs: number;
  private readonly checkTimeoutMs: number;

  constructor(
    private readonly session: SessionConnection,
    options: PgLeasesOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5000;
  }

  hold(name: string, handlers: LeaseHandlers): { stop(): Promise<void> } {
    if (this.names.has(name)) throw new Error(`the lease ${name} is already held or sought by this process`);
    this.names.add(name);
    const key = leaseKey(name);
    const state = { held: false, stopped: false, timer: null as NodeJS.Timeout | null, notBefore: 0 };
    const unwatch = this.session.watch({
      lost: () => {
        if (!state.held) return;
        state.held = false;
        // The standbys, who were waiting, go first: no flapping back to a holder that reconnects.
        state.notBefore = Date.now() + 3 * this.pollMs;
        handlers.lost();
      },
    });
    const tick = async () => {
      state.timer = null;
      if (state.held) await this.check();
      else if (Date.now() >= state.notBefore) await this.tryAcquire(key, state, handlers);
      if (!state.stopped) state.timer = setTimeout(() => void tick(), this.pollMs);
    };
    void tick();
    return {
      stop: async () => {
        if (state.stopped) return;
        state.stopped = true;
        if (state.timer) clearTimeout(state.timer);
        unwatch();
        this.names.delete(name);
        if (!state.held) return;
        state.held = false;
        handlers.lost();
        await this.session.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => undefined);
      },
    };
  }

  private async tryAcquire(key: [number, number], state: { held: boolean; stopped: boolean }, handlers: LeaseHandlers): Promise<void> {
    const before = this.session.backend;
    if (!before || state.stopped) return;
    let ok: boolean;
    try {
      ok = (await this.session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', key))[0]?.ok === true;
    } catch {
      return; // the connection is down: the session reconnects, and this tries again
    }
    if (!ok) return;
    if (state.stopped) {
      await this.session.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => undefined);
      return;
    }
    // Taken on a connection that has gone since: that lock is gone with it.
    if (this.session.backend?.pid !== before.pid) return;
    state.held = true;
    // Not awaited: the holder's connection is checked every poll while it starts too (a runtime
    // leader's start waits for the router and fetches slugs); a loss meanwhile is told `lost()`.
    // A start that fails still holds the lease (as a crash would not release it either).
    void Promise.resolve()
      .then(() => handlers.acquired())
      .catch(() => undefined);
  }

  /** The holder's connection answers within checkTimeoutMs, or it is dropped (and `lost()` called). */
  private async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.checkTimeoutMs)));
    const answer = await Promise.race([this.session.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const), timeout]);
    clearTimeout(timer);
    if (answer !== 'ok') this.session.reset();
  }
}
