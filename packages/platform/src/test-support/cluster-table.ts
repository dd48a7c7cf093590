import { createServer, type Socket } from 'node:net';
import type { ClusterMember, LeaseHandlers, Leases, Members } from '../cluster/cluster-ports.js';

type Entry = { session: string; handlers: LeaseHandlers };

/**
 * Leases and Members as the PostgreSQL adapters behave, in memory, for the runtime role's tests: a
 * session stands for a process's session connection; when it ends (`crash`), its member rows go
 * and its leases pass to the next session waiting for them.
 */
export class ClusterTable {
  private readonly rows = new Map<string, { member: ClusterMember; session: string }>();
  private readonly queues = new Map<string, Entry[]>();
  private ids = 0;

  session(session: string): { leases: Leases; members: Members } {
    const leases: Leases = {
      hold: (name, handlers) => {
        const queue = this.queues.get(name) ?? [];
        this.queues.set(name, queue);
        const entry = { session, handlers };
        queue.push(entry);
        if (queue.length === 1) setImmediate(() => void handlers.acquired());
        return { stop: async () => this.release(name, entry) };
      },
    };
    const members: Members = {
      join: async (member) => {
        const row = { ...member, id: `m${++this.ids}`, startedAt: new Date().toISOString() };
        this.rows.set(row.id, { member: row, session });
        return row;
      },
      advertise: async (id, url) => {
        const row = this.rows.get(id);
        if (row) row.member = { ...row.member, url };
      },
      live: async (role) => [...this.rows.values()].map((row) => row.member).filter((member) => role === undefined || member.role === role),
    };
    return { leases, members };
  }

  /** The session ends (its process was killed): its member rows go, its leases pass to the next in line. */
  crash(session: string): void {
    for (const [id, row] of this.rows) if (row.session === session) this.rows.delete(id);
    for (const [name, queue] of this.queues) {
      for (const entry of queue.filter((e) => e.session === session)) this.release(name, entry);
    }
  }

  private release(name: string, entry: Entry): void {
    const queue = this.queues.get(name) ?? [];
    const at = queue.indexOf(entry);
    if (at < 0) return;
    queue.splice(at, 1);
    if (at !== 0) return;
    entry.handlers.lost();
    const next = queue[0];
    if (next) setImmediate(() => void next.handlers.acquired());
  }
}

/**
 * The table served on loopback TCP to role processes (test/e2e/fixtures/runtime-role/child.mjs):
 * one connection is one session, newline-delimited JSON; a connection that ends (kill -9 of the
 * process) ends its session, as a PostgreSQL session's advisory locks end with it.
 */
export async function serveClusterTable(table: ClusterTable): Promise<{ port: number; close(): void }> {
  let sessions = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const id = `session-${++sessions}`;
    sockets.add(socket);
    const { leases, members } = table.session(id);
    const held = new Map<number, { stop(): Promise<void> }>();
    const send = (message: object) => socket.writable && socket.write(`${JSON.stringify(message)}\n`);
    const answer = async (message: Record<string, unknown>): Promise<unknown> => {
      if (message.op === 'join') return members.join(message.member as Omit<ClusterMember, 'id' | 'startedAt'>);
      if (message.op === 'advertise') return members.advertise(message.id as string, message.url as string | null);
      if (message.op === 'live') return members.live(message.role as ClusterMember['role'] | undefined);
      const ref = message.ref as number;
      if (message.op === 'hold') held.set(ref, leases.hold(message.name as string, { acquired: () => void send({ ev: 'acquired', ref }), lost: () => void send({ ev: 'lost', ref }) }));
      if (message.op === 'release') await held.get(ref)?.stop();
      return null;
    };
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
        buffer = buffer.slice(end + 1);
        void answer(message).then((result) => message.req !== undefined && send({ req: message.req, result }));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      table.crash(id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
