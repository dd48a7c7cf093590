import { describe, expect, it } from 'vitest';
import type { EdgeCalls } from './edge-client.js';
import type { EdgeHello } from './protocol.js';
import { RemoteEdge } from './remote-edge.js';

/** A control connection in memory: what was sent on it, and whether this end closed it. */
class FakeCalls implements EdgeCalls {
  readonly sent: string[] = [];
  closedByUs = false;
  readonly closed: Promise<void>;
  private end!: () => void;
  constructor() {
    this.closed = new Promise((resolve) => (this.end = resolve));
  }
  call<T>(method: string): Promise<T> {
    this.sent.push(method);
    return Promise.resolve(undefined as T);
  }
  notify(method: string): void {
    this.sent.push(method);
  }
  close(): void {
    this.closedByUs = true;
    this.end();
  }
  /** The edge ends the connection (it was killed). */
  drop(): void {
    this.end();
  }
}

const hello = { pid: 4242 } as EdgeHello;

describe('RemoteEdge.stayConnected', () => {
  it('closes a connection that a reconnection made after this process let go, and tells the edge nothing on it', async () => {
    const first = new FakeCalls();
    const second = new FakeCalls();
    let answer!: (value: { client: EdgeCalls; hello: EdgeHello }) => void;
    let reconnecting!: () => void;
    const asked = new Promise<void>((resolve) => (reconnecting = resolve));
    const edge = new RemoteEdge(first, '/nowhere.sock', hello, () => {
      reconnecting();
      return new Promise((resolve) => (answer = resolve));
    });
    const backs: number[] = [];
    edge.stayConnected(
      () => undefined,
      async (h) => void backs.push(h.pid),
    );
    first.drop();
    await asked;
    // The lease is lost while the new connection is being greeted: this process lets go.
    await edge.runtime.shutdown();
    answer({ client: second, hello: { pid: 5151 } as EdgeHello });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.closedByUs).toBe(true);
    expect(backs).toEqual([]);
    expect(edge.client).toBe(first);
  });

  it('takes a new connection and tells it everything again when the edge went away on its own', async () => {
    const first = new FakeCalls();
    const second = new FakeCalls();
    const edge = new RemoteEdge(first, '/nowhere.sock', hello, async () => ({ client: second, hello: { pid: 5151 } as EdgeHello }));
    const backs: number[] = [];
    edge.stayConnected(
      () => undefined,
      async (h) => void backs.push(h.pid),
    );
    first.drop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(backs).toEqual([5151]);
    expect(edge.client).toBe(second);
    expect(second.closedByUs).toBe(false);
  });
});
