import { randomUUID } from 'node:crypto';
import type { ClusterMember, Members } from './cluster-ports.js';

/** The members of one process (`dozen up`): all live while it runs. */
export class LocalMembers implements Members {
  private readonly members = new Map<string, ClusterMember>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async join(member: Omit<ClusterMember, 'id' | 'startedAt'>): Promise<ClusterMember> {
    const joined: ClusterMember = { ...member, id: randomUUID(), startedAt: this.now().toISOString() };
    this.members.set(joined.id, joined);
    return { ...joined };
  }

  async advertise(id: string, url: string | null): Promise<void> {
    const member = this.members.get(id);
    if (member) member.url = url;
  }

  async live(role?: ClusterMember['role']): Promise<ClusterMember[]> {
    return [...this.members.values()].filter((m) => role === undefined || m.role === role).map((m) => ({ ...m }));
  }
}
