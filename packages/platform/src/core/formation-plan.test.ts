import { describe, expect, it } from 'vitest';
import { planFormation, type DesiredProcesses, type ObservedProcess } from './formation-plan.js';

const types = { web: 'node web.js', worker: 'node worker.js' };
const desired = (release: number, formation: Record<string, number>): DesiredProcesses => ({ release, processTypes: types, formation });
const proc = (id: string, type: string, index: number, release: number, state: ObservedProcess['state'] = 'up', restartDueAt: number | null = null): ObservedProcess =>
  ({ id, type, index, release, generation: 0, state, restartDueAt });

describe('planFormation', () => {
  it('starts what the formation asks for, skipping types the release does not declare', () => {
    expect(planFormation(desired(1, { web: 2, clock: 1 }), [], 0)).toEqual([
      { kind: 'start', type: 'web', index: 1, release: 1 },
      { kind: 'start', type: 'web', index: 2, release: 1 },
    ]);
  });

  it('is idempotent once the world matches', () => {
    expect(planFormation(desired(1, { web: 1, worker: 1 }), [proc('a', 'web', 1, 1), proc('b', 'worker', 1, 1)], 0)).toEqual([]);
  });

  it('scales down from the highest index', () => {
    const observed = [proc('a', 'web', 1, 1), proc('b', 'web', 2, 1), proc('c', 'web', 3, 1)];
    expect(planFormation(desired(1, { web: 1 }), observed, 0)).toEqual([
      { kind: 'stop', id: 'b', reason: 'scaled-down' },
      { kind: 'stop', id: 'c', reason: 'scaled-down' },
    ]);
  });

  it('web: starts the new release first and stops the old one only when the new one is up', () => {
    const old = proc('old', 'web', 1, 1);
    expect(planFormation(desired(2, { web: 1 }), [old], 0)).toEqual([{ kind: 'start', type: 'web', index: 1, release: 2 }]);
    expect(planFormation(desired(2, { web: 1 }), [old, proc('new', 'web', 1, 2, 'starting')], 0)).toEqual([]);
    expect(planFormation(desired(2, { web: 1 }), [old, proc('new', 'web', 1, 2, 'crashed')], 0)).toEqual([]);
    expect(planFormation(desired(2, { web: 1 }), [old, proc('new', 'web', 1, 2, 'up')], 0)).toEqual([
      { kind: 'stop', id: 'old', reason: 'replaced' },
    ]);
  });

  it('workers: stop the old release before starting the new one', () => {
    const old = proc('old', 'worker', 1, 1);
    expect(planFormation(desired(2, { worker: 1 }), [old], 0)).toEqual([{ kind: 'stop', id: 'old', reason: 'replaced' }]);
    expect(planFormation(desired(2, { worker: 1 }), [{ ...old, state: 'stopping' }], 0)).toEqual([]);
    expect(planFormation(desired(2, { worker: 1 }), [], 0)).toEqual([{ kind: 'start', type: 'worker', index: 1, release: 2 }]);
  });

  it('replaces processes of an older generation like an old release (rolling restart)', () => {
    const restarted: DesiredProcesses = { ...desired(1, { web: 1, worker: 1 }), generations: { web: 1 } };
    const observed = [proc('w', 'web', 1, 1), proc('k', 'worker', 1, 1)];
    expect(planFormation(restarted, observed, 0)).toEqual([{ kind: 'start', type: 'web', index: 1, release: 1 }]);
    expect(planFormation(restarted, [...observed, { ...proc('w2', 'web', 1, 1), generation: 1 }], 0)).toEqual([
      { kind: 'stop', id: 'w', reason: 'replaced' },
    ]);
  });

  it('restarts a crashed process only when its restart is due', () => {
    const crashed = proc('a', 'web', 1, 1, 'crashed', 1000);
    expect(planFormation(desired(1, { web: 1 }), [crashed], 999)).toEqual([]);
    expect(planFormation(desired(1, { web: 1 }), [crashed], 1000)).toEqual([{ kind: 'restart', id: 'a' }]);
  });

  it('stops duplicates in one slot and everything when nothing is desired', () => {
    expect(planFormation(desired(1, { web: 1 }), [proc('a', 'web', 1, 1), proc('b', 'web', 1, 1)], 0)).toEqual([
      { kind: 'stop', id: 'b', reason: 'duplicate' },
    ]);
    expect(planFormation(null, [proc('a', 'web', 1, 1), proc('b', 'web', 2, 1, 'stopping')], 0)).toEqual([
      { kind: 'stop', id: 'a', reason: 'removed' },
    ]);
  });
});
