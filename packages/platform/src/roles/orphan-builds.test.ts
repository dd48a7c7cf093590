import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BuildJobState } from '../cluster/build-jobs.js';
import type { CoreDeps } from '../core/deps.js';
import type { BuildStatus } from '../core/model.js';
import { sweepOrphanBuilds } from './orphan-builds.js';

/** A store with one app and its builds, a clock moved by hand, jobs in given states. */
function fixture(builds: { id: string; status: BuildStatus }[], jobs: Record<string, BuildJobState>) {
  let now = 1_000_000;
  const timers: (() => void)[] = [];
  const updates: { id: string; status: string; message: string }[] = [];
  const store = {
    listApps: async () => [{ id: 'a1', name: 'shop' }],
    listBuilds: async () => builds,
    updateBuild: async (id: string, patch: { status: string; error: { message: string } }) => {
      updates.push({ id, status: patch.status, message: patch.error.message });
      const build = builds.find((b) => b.id === id);
      if (build) build.status = patch.status as BuildStatus;
    },
  } as unknown as CoreDeps['store'];
  const clock = { now: () => new Date(now), after: (_ms: number, fn: () => void) => (timers.push(fn), () => undefined) } as CoreDeps['clock'];
  const state = async (id: string) => (jobs[id] ? { state: jobs[id], attempts: 1, claimedBy: null } : null);
  const forgotten: number[] = [];
  const forget = async (olderThanMs: number) => forgotten.push(olderThanMs);
  const sweep = sweepOrphanBuilds({ store, clock }, { state, sweep: forget }, pino({ level: 'silent' }), { graceMs: 30_000, everyMs: 10_000, forgetAfterMs: 3_600_000 });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  /** Lets `ms` pass and the next look run. */
  const later = async (ms: number) => {
    now += ms;
    timers.shift()?.();
    await settle();
  };
  return { sweep, updates, later, settle, forgotten };
}

describe('the sweep of orphaned builds (scheduler lease)', () => {
  it('fails a building build whose job ended, once the grace is over; leaves the others', async () => {
    const { sweep, updates, later, settle, forgotten } = fixture(
      [
        { id: 'orphan', status: 'building' },
        { id: 'running', status: 'building' },
        { id: 'releasing', status: 'releasing' },
        { id: 'nojob', status: 'building' },
      ],
      { orphan: 'succeeded', running: 'running', releasing: 'succeeded' },
    );
    await settle();
    expect(updates).toEqual([]);
    await later(20_000);
    expect(updates).toEqual([]);
    await later(10_000);
    expect(updates).toEqual([{ id: 'orphan', status: 'failed', message: 'The api process that ran this deploy stopped before the build ended; nothing was released.' }]);
    await later(60_000);
    expect(updates).toHaveLength(1);
    // Every look also lets the ended jobs nobody read leave the queue.
    expect(forgotten).toEqual([3_600_000, 3_600_000, 3_600_000, 3_600_000]);
    sweep.stop();
  });
});
