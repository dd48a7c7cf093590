import { describe, expect, it } from 'vitest';
import { defaultStrategy, type ObservedProcess } from './formation-plan.js';
import { previewRollout } from './rollout-preview.js';

const types = { web: 'node web.js', worker: 'node worker.js' };
const up = (id: string, type: string, index: number, release: number, generation = 0): ObservedProcess => ({ id, type, index, release, generation, state: 'up', restartDueAt: null });

describe('previewRollout', () => {
  it('simulates the planner until the world matches: web start-first, workers stop-first', () => {
    const steps = previewRollout({ release: 2, processTypes: types, formation: { web: 1, worker: 1 } }, [up('a', 'web', 1, 1), up('b', 'worker', 1, 1)], defaultStrategy);
    expect(steps).toEqual([
      [
        { action: 'start', process: 'web.1', release: 2, reason: null },
        { action: 'stop', process: 'worker.1', release: 1, reason: 'replaced' },
      ],
      [
        { action: 'stop', process: 'web.1', release: 1, reason: 'replaced' },
        { action: 'start', process: 'worker.1', release: 2, reason: null },
      ],
    ]);
  });

  it('follows per-type strategies and restart generations, and is empty when nothing changes', () => {
    const observed = [up('a', 'web', 1, 1), up('b', 'web', 2, 1)];
    expect(previewRollout({ release: 1, processTypes: types, formation: { web: 2 } }, observed, defaultStrategy)).toEqual([]);
    const restartWeb2 = previewRollout({ release: 1, processTypes: types, formation: { web: 2 }, generations: { 'web.2': 1 } }, observed, () => 'stop-first');
    expect(restartWeb2).toEqual([[{ action: 'stop', process: 'web.2', release: 1, reason: 'replaced' }], [{ action: 'start', process: 'web.2', release: 1, reason: null }]]);
  });

  it('stops everything when nothing is desired, and restarts crashed processes', () => {
    const crashed: ObservedProcess = { ...up('c', 'worker', 1, 1), state: 'crashed', restartDueAt: Date.now() + 60_000 };
    expect(previewRollout(null, [up('a', 'web', 1, 1)], defaultStrategy)).toEqual([[{ action: 'stop', process: 'web.1', release: 1, reason: 'removed' }]]);
    expect(previewRollout({ release: 1, processTypes: types, formation: { worker: 1 } }, [crashed], defaultStrategy)).toEqual([[{ action: 'restart', process: 'worker.1', release: 1, reason: null }]]);
  });
});
