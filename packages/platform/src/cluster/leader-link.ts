import { DozenError } from '@dozen/contracts/errors';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { EdgeClient, type EdgeCalls } from '../edge-link/edge-client.js';
import { PROTOCOL, type EdgeAddress, type EdgeHello } from '../edge-link/protocol.js';
import type { Members } from './cluster-ports.js';

export interface LeaderLinkOptions {
  members: Members;
  /** DOZEN_CLUSTER_TOKEN, sent on the upgrade to the relay. */
  token: string;
  /** How long a call waits for a runtime leader before failing with RUNTIME_UNREACHABLE (default 30 s). */
  waitMs?: number;
  /** Between looks in Members while no leader answers (default 250 ms). */
  retryMs?: number;
  /** Told when a leader's relay is connected (its URL) or lost (null). */
  onLeader?(url: string | null, why: string): void;
}

/** Calls that only read: asked again of the next leader when the connection ends while they wait. */
const READS = new Set(['hello', 'list', 'observe', 'metrics', 'series']);
/** Notices kept while no leader is connected; past this the oldest go (a new leader is told everything anyway). */
const MAX_QUEUED_NOTICES = 10_000;

/**
 * An api's link to the runtime leader of the host (issue 19): the relay advertised in Members by
 * the live runtime member whose URL is set. When the connection ends it looks again and
 * reconnects; meanwhile calls wait (bounded) and notices queue, sent in order to the next leader.
 */
export class LeaderLink implements EdgeCalls {
  readonly closed: Promise<void>;
  private client: EdgeClient | null = null;
  private url: string | null = null;
  private greeting: EdgeHello | null = null;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private queued: { method: string; params: unknown }[] = [];
  private ended: () => void = () => undefined;

  constructor(private readonly options: LeaderLinkOptions) {
    this.closed = new Promise((resolve) => (this.ended = resolve));
    void this.follow();
  }

  /** Resolves once a leader is connected, or after `ms` (false). */
  async ready(ms: number): Promise<boolean> {
    return this.connected(ms).then(
      () => true,
      () => false,
    );
  }

  /** The last leader's hello; before any, one that says so (pid 0). */
  hello(): EdgeHello {
    return this.greeting ?? notYet();
  }

  /** Where one-offs go: the current (else the last) leader's relay. */
  address(): EdgeAddress {
    return { url: this.url ?? 'ws://127.0.0.1:1', token: this.options.token };
  }

  async call<T>(method: string, params: unknown, progress?: (line: string) => void): Promise<T> {
    const waitMs = this.options.waitMs ?? 30_000;
    const client = await this.connected(waitMs);
    try {
      return await client.call<T>(method, params, progress);
    } catch (error) {
      if (!READS.has(method) || !(error instanceof DozenError) || error.code !== 'EDGE_UNAVAILABLE' || this.stopped) throw error;
      return (await this.connected(waitMs, client)).call<T>(method, params, progress);
    }
  }

  notify(method: string, params: unknown): void {
    if (this.client !== null) return this.client.notify(method, params);
    this.queued.push({ method, params });
    if (this.queued.length > MAX_QUEUED_NOTICES) this.queued.shift();
  }

  close(): void {
    this.stopped = true;
    this.client?.close();
    this.wake();
    if (this.client === null) this.ended();
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      const found = await this.find();
      if (found === null) {
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 250));
        continue;
      }
      this.url = found.url;
      this.greeting = found.hello;
      this.client = found.client;
      for (const { method, params } of this.queued.splice(0)) found.client.notify(method, params);
      this.options.onLeader?.(found.url, `connected to the runtime leader's relay (pid ${found.hello.pid})`);
      this.wake();
      await found.client.closed;
      this.client = null;
      if (!this.stopped) this.options.onLeader?.(null, `the runtime leader's relay ${found.url} went away`);
    }
    this.ended();
  }

  /** The first live runtime member whose relay answers and speaks our protocol. */
  private async find(): Promise<{ url: string; client: EdgeClient; hello: EdgeHello } | null> {
    const members = await this.options.members.live('runtime').catch(() => []);
    for (const { url } of members) {
      if (url === null || this.stopped) continue;
      const client = await EdgeClient.connect({ url, token: this.options.token }, () => undefined).catch(() => null);
      if (client === null) continue;
      const hello = await client.call<EdgeHello>('hello', {}).catch(() => null);
      if (hello !== null && hello.protocol === PROTOCOL && !this.stopped) return { url, client, hello };
      client.close();
    }
    return null;
  }

  /** The connected leader's client (not `gone`, one whose connection just ended), once there is one. */
  private connected(ms: number, gone: EdgeClient | null = null): Promise<EdgeClient> {
    const usable = () => (this.client !== null && this.client !== gone ? this.client : null);
    const now = usable();
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const settle = (expired: boolean) => {
        const client = usable();
        if (client === null && !expired && !this.stopped) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        if (client !== null) resolve(client);
        else reject(unreachable(this.stopped ? 'this api is stopping' : `none answered within ${Math.round(ms / 1000)} s`));
      };
      const wake = () => settle(false);
      const timer = setTimeout(() => settle(true), ms);
      this.waiters.add(wake);
      if (this.stopped) wake();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function unreachable(why: string): DozenError {
  return new DozenError('RUNTIME_UNREACHABLE', `No runtime leader can be reached (the relay of \`dozen serve runtime\`): ${why}.`);
}

function notYet(): EdgeHello {
  const none = 'unknown: no runtime leader connected yet';
  return { protocol: PROTOCOL, version: DOZEN_VERSION, pid: 0, startedAt: '', routerPort: 0, routerHttpsPort: 0, notes: { sandbox: { kind: 'unknown', note: none }, network: { isolated: false, note: none }, limits: none } };
}
