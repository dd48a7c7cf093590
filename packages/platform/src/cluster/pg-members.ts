import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { sql } from '../store/kysely-runtime.js';
import type { SessionConnection } from '../store/pg-session-connection.js';
import type { ClusterMember, Members } from './cluster-ports.js';

interface MemberRow {
  id: string;
  role: ClusterMember['role'];
  host: string;
  url: string | null;
  started_at: string;
}

/**
 * The members in the table `cluster_members`, each with the server session of its process's
 * session connection (pid and start, as pg_stat_activity shows them): a member is live while that
 * session is, so no heartbeat is needed, and a dead member's row is swept by whoever reads `live()`.
 * After a reconnection the rows this process joined are written again with the new session.
 */
export class PgMembers implements Members {
  private readonly mine = new Map<string, ClusterMember>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly session: SessionConnection,
    private readonly now: () => Date = () => new Date(),
  ) {
    session.watch({ restored: () => void this.rejoinAll().catch(() => undefined) });
  }

  async join(member: Omit<ClusterMember, 'id' | 'startedAt'>): Promise<ClusterMember> {
    const joined: ClusterMember = { ...member, id: randomUUID(), startedAt: this.now().toISOString() };
    await this.write(joined);
    this.mine.set(joined.id, joined);
    return joined;
  }

  async advertise(id: string, url: string | null): Promise<void> {
    const member = this.mine.get(id);
    if (member) member.url = url;
    await sql`UPDATE cluster_members SET url = ${url} WHERE id = ${id}`.execute(this.db);
  }

  async live(role?: ClusterMember['role']): Promise<ClusterMember[]> {
    await sql`DELETE FROM cluster_members m WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = m.backend_pid AND a.backend_start::text = m.backend_start)`.execute(this.db);
    const rows = (await sql<MemberRow>`SELECT id, role, host, url, started_at FROM cluster_members WHERE ${role === undefined ? sql`TRUE` : sql`role = ${role}`} ORDER BY started_at, id`.execute(this.db)).rows;
    return rows.map((row) => ({ id: row.id, role: row.role, host: row.host, url: row.url, startedAt: row.started_at }));
  }

  private async write(member: ClusterMember): Promise<void> {
    const backend = this.session.requireBackend();
    await sql`INSERT INTO cluster_members (id, role, host, url, backend_pid, backend_start, started_at)
      VALUES (${member.id}, ${member.role}, ${member.host}, ${member.url}, ${backend.pid}, ${backend.start}, ${member.startedAt})
      ON CONFLICT (id) DO UPDATE SET url = excluded.url, backend_pid = excluded.backend_pid, backend_start = excluded.backend_start`.execute(this.db);
  }

  private async rejoinAll(): Promise<void> {
    for (const member of this.mine.values()) await this.write(member);
  }
}
