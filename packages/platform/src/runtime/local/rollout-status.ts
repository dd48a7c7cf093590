import { slotGeneration } from '../../core/formation-plan.js';
import type { RunTarget } from '../../core/ports/runtime.js';
import type { ManagedProcess } from './managed-process.js';

export type RolloutStatus = { kind: 'done' } | { kind: 'pending' } | { kind: 'failed'; process: ManagedProcess | null; message: string };

/**
 * Whether every slot of `target` runs its current revision: web processes must be up (bound to
 * PORT and healthy); other types only started. The first new web process that exits fails the
 * rollout.
 */
export function rolloutStatus(target: RunTarget, generations: Record<string, number>, processes: Iterable<ManagedProcess>): RolloutStatus {
  const live = [...processes].filter((p) => p.state !== 'stopping' && p.spec.release === target.release);
  let pending = false;
  for (const [type, quantity] of Object.entries(target.formation)) {
    if (!Object.hasOwn(target.processTypes, type)) continue;
    for (let index = 1; index <= quantity; index++) {
      const generation = slotGeneration(generations, type, index);
      const p = live.find((candidate) => candidate.spec.type === type && candidate.spec.index === index && candidate.spec.generation === generation);
      if (!p) {
        pending = true;
        continue;
      }
      if (type === 'web' && p.crashes > 0) return { kind: 'failed', process: p, message: p.failure ?? `${p.name} crashed` };
      if (p.state !== 'up') pending = true;
    }
  }
  return pending ? { kind: 'pending' } : { kind: 'done' };
}
