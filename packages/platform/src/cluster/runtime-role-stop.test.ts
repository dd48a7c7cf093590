import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ClusterTable } from '../test-support/cluster-table.js';
import { openHostEdge } from './host-edge.js';
import { startRuntimeRole } from './runtime-role.js';

// The host's edge never answers as it should: every leader's start fails (and it competes again after a second).
vi.mock('./host-edge.js', () => ({
  openHostEdge: vi.fn(async () => {
    throw new Error('the edge answered nonsense');
  }),
}));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runtime role: a leader whose start failed', () => {
  it('does not compete again once stopped during its pause before the next attempt', async () => {
    const cluster = new ClusterTable();
    const role = await startRuntimeRole({
      hostId: 'host-9',
      ...cluster.session('s1'),
      edgeSocket: '/nonexistent/edge.sock',
      relay: { token: 'a-cluster-token-of-at-least-32-characters', host: '127.0.0.1', port: 0 },
      ensureSlug: async () => undefined,
      resend: async () => 0,
      logs: { append: () => undefined },
      logger: pino({ level: 'silent' }),
    });
    const opened = vi.mocked(openHostEdge);
    for (let waited = 0; opened.mock.calls.length === 0 && waited < 2000; waited += 10) await pause(10);
    expect(opened).toHaveBeenCalledTimes(1);
    // SIGTERM during the pause of one second before it competes again.
    await pause(100);
    await role.stop();
    await pause(1500);
    expect(opened).toHaveBeenCalledTimes(1);
    // Nothing of this process holds the lease: another process takes it at once.
    const other = cluster.session('s2');
    let acquired = false;
    const lease = other.leases.hold('runtime:host-9', { acquired: () => void (acquired = true), lost: () => undefined });
    await pause(20);
    expect(acquired).toBe(true);
    await lease.stop();
  });
});
