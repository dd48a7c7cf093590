import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config.js';
import type { LeaseHandlers, Leases } from '../cluster/cluster-ports.js';
import { GarbageCollector } from '../core/garbage-collector.js';
import { CronScheduler } from '../core/cron-scheduler.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildGraph, type PlatformGraph } from './platform-graph.js';
import { holdScheduler, SCHEDULER_LEASE, type ExtraSingleton } from './scheduler-lease.js';

/** Leases a test hands out and takes back by hand; a stop tells `lost()`, as PgLeases does. */
class ManualLeases implements Leases {
  readonly held = new Map<string, LeaseHandlers>();
  hold(name: string, handlers: LeaseHandlers): { stop(): Promise<void> } {
    this.held.set(name, handlers);
    return {
      stop: async () => {
        if (this.held.delete(name)) handlers.lost();
      },
    };
  }
}

/** An extra singleton that counts how many of it run. */
function counted(): { live: () => number; extra: ExtraSingleton } {
  let live = 0;
  return {
    live: () => live,
    extra: () => {
      live++;
      return { stop: () => void live-- };
    },
  };
}

describe('the scheduler lease (an api of a cluster)', () => {
  let graph: PlatformGraph;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dozen-scheduler-lease-'));
    graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: dataDir, DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  });
  afterAll(async () => {
    await graph.runtime.shutdown();
    await graph.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs GC and cron only while it holds the lease, fresh ones at each acquisition', async () => {
    const leases = new ManualLeases();
    const { deps } = graph;
    const unstarted = deps.cron;
    const held = holdScheduler(deps, leases, pino({ level: 'silent' }));
    const handlers = leases.held.get(SCHEDULER_LEASE);
    expect(handlers).toBeDefined();
    // Not holding: a release's kick is a no-op, no collector runs here.
    expect(deps.gc).not.toBeInstanceOf(GarbageCollector);

    await handlers?.acquired();
    const first = deps.gc;
    expect(first).toBeInstanceOf(GarbageCollector);
    expect(deps.cron).toBeInstanceOf(CronScheduler);
    expect(deps.cron).not.toBe(unstarted);

    handlers?.lost();
    expect(deps.gc).not.toBeInstanceOf(GarbageCollector);

    await handlers?.acquired();
    expect(deps.gc).toBeInstanceOf(GarbageCollector);
    expect(deps.gc).not.toBe(first);

    await held.stop();
    expect(leases.held.has(SCHEDULER_LEASE)).toBe(false);
  });

  it('stops the singletons a start left running when the lease was lost during it, and never runs two sets', async () => {
    const leases = new ManualLeases();
    const { deps } = graph;
    const extra = counted();
    const held = holdScheduler(deps, leases, pino({ level: 'silent' }), [extra.extra]);
    const handlers = leases.held.get(SCHEDULER_LEASE) as LeaseHandlers;
    // Lost while the singletons start (the cron scheduler's start is awaited).
    const starting = handlers.acquired();
    handlers.lost();
    await starting;
    expect(extra.live()).toBe(0);
    expect(deps.gc).not.toBeInstanceOf(GarbageCollector);

    await handlers.acquired();
    await handlers.acquired();
    expect(extra.live()).toBe(1);
    await held.stop();
    expect(extra.live()).toBe(0);
  });

  it('waits for the singletons to stop before its stop resolves', async () => {
    const leases = new ManualLeases();
    const { deps } = graph;
    const held = holdScheduler(deps, leases, pino({ level: 'silent' }));
    await leases.held.get(SCHEDULER_LEASE)?.acquired();
    const gc = deps.gc as GarbageCollector;
    const stopGc = gc.stop.bind(gc);
    let gcStopped = false;
    vi.spyOn(gc, 'stop').mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await stopGc();
      gcStopped = true;
    });
    await held.stop();
    expect(gcStopped).toBe(true);
  });
});
