import type { Formation, ProcessState, ProcessTypes, RolloutStrategy } from './model.js';

export type { RolloutStrategy } from './model.js';

/** What the runtime should be running for one app. */
export interface DesiredProcesses {
  release: number;
  processTypes: ProcessTypes;
  formation: Formation;
  /**
   * Bumped by a restart, keyed by type (`web`) or by process (`web.2`): a slot's generation is the
   * sum of both, so bumping either replaces the slot's process as a new release would.
   */
  generations?: Record<string, number>;
}

/** What the runtime observes, reduced to what planning needs. */
export interface ObservedProcess {
  id: string;
  type: string;
  index: number;
  release: number;
  generation: number;
  state: ProcessState;
  /** For crashed processes: when the next start is due (ms since epoch). */
  restartDueAt: number | null;
}

/** What the runtime runs for one app now, and the restart generations it holds (dry runs plan from it). */
export interface ObservedRuntime {
  processes: ObservedProcess[];
  generations: Record<string, number>;
}

export type StopReason = 'scaled-down' | 'replaced' | 'removed' | 'duplicate';

export type PlanAction =
  | { kind: 'start'; type: string; index: number; release: number }
  | { kind: 'restart'; id: string }
  | { kind: 'stop'; id: string; reason: StopReason };

export function defaultStrategy(type: string): RolloutStrategy {
  return type === 'web' ? 'start-first' : 'stop-first';
}

/**
 * The plan: a pure function of desired and observed state. Running it again after its actions took
 * effect yields nothing new (level-triggered), so every event can simply call it.
 */
export function planFormation(
  desired: DesiredProcesses | null,
  observed: readonly ObservedProcess[],
  now: number,
  strategyOf: (type: string) => RolloutStrategy = defaultStrategy,
): PlanAction[] {
  const live = observed.filter((p) => p.state !== 'stopping');
  if (!desired) return live.map((p) => ({ kind: 'stop', id: p.id, reason: 'removed' }) as const);

  const actions: PlanAction[] = [];
  const wanted = new Set<string>();
  for (const [type, quantity] of Object.entries(desired.formation)) {
    if (!Object.hasOwn(desired.processTypes, type)) continue;
    for (let index = 1; index <= quantity; index++) {
      wanted.add(slotKey(type, index));
      const inSlot = live.filter((p) => p.type === type && p.index === index);
      const draining = observed.some((p) => p.state === 'stopping' && p.type === type && p.index === index);
      const revision = { release: desired.release, generation: slotGeneration(desired.generations, type, index) };
      actions.push(...planSlot({ type, index, inSlot, draining }, revision, strategyOf(type), now));
    }
  }
  for (const p of live) {
    if (!wanted.has(slotKey(p.type, p.index))) actions.push({ kind: 'stop', id: p.id, reason: 'scaled-down' });
  }
  return actions;
}

interface Slot {
  type: string;
  index: number;
  /** Live (not stopping) processes in the slot. */
  inSlot: ObservedProcess[];
  /** Whether a process of the slot is still stopping. */
  draining: boolean;
}

function planSlot(slot: Slot, revision: { release: number; generation: number }, strategy: RolloutStrategy, now: number): PlanAction[] {
  const { type, index, inSlot } = slot;
  const actions: PlanAction[] = [];
  const isCurrent = (p: ObservedProcess) => p.release === revision.release && p.generation === revision.generation;
  const [current, ...extra] = inSlot.filter(isCurrent);
  const old = inSlot.filter((p) => !isCurrent(p));
  for (const p of extra) actions.push({ kind: 'stop', id: p.id, reason: 'duplicate' });

  if (current) {
    if (current.state === 'crashed' && current.restartDueAt !== null && current.restartDueAt <= now) {
      actions.push({ kind: 'restart', id: current.id });
    }
    // The old generation keeps serving until the new one is up; a new one that crashed does
    // not take the old one down with it.
    if (current.state === 'up' || strategy === 'stop-first') {
      for (const p of old) actions.push({ kind: 'stop', id: p.id, reason: 'replaced' });
    }
    return actions;
  }
  if (strategy === 'stop-first' && (old.length > 0 || slot.draining)) {
    // The new one starts only once the old one is gone: never two consumers at once.
    for (const p of old) actions.push({ kind: 'stop', id: p.id, reason: 'replaced' });
    return actions;
  }
  actions.push({ kind: 'start', type, index, release: revision.release });
  return actions;
}

function slotKey(type: string, index: number): string {
  return `${type}.${index}`;
}

/** The generation a slot's process must have: its type's restarts plus its own. */
export function slotGeneration(generations: Record<string, number> | undefined, type: string, index: number): number {
  return (generations?.[type] ?? 0) + (generations?.[slotKey(type, index)] ?? 0);
}
