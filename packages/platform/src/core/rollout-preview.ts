import { planFormation, slotGeneration, type DesiredProcesses, type ObservedProcess, type PlanAction, type StopReason } from './formation-plan.js';
import type { RolloutStrategy } from './model.js';

/** One action of a dry run, in the words `ps` uses. */
export interface PlannedAction {
  action: 'start' | 'restart' | 'stop';
  process: string;
  release: number;
  reason: StopReason | null;
}

/**
 * What converging to `desired` would do, as steps: each step is what the planner decides once
 * the previous step has taken effect (started processes up, stopped ones gone). This is the same
 * pure planner the runtime runs; only its effects are simulated.
 */
export function previewRollout(
  desired: DesiredProcesses | null,
  observed: readonly ObservedProcess[],
  strategyOf: (type: string) => RolloutStrategy,
  maxSteps = 10,
): PlannedAction[][] {
  let world = observed.map((p) => ({ ...p }));
  const steps: PlannedAction[][] = [];
  let nextId = 0;
  for (let step = 0; step < maxSteps; step++) {
    const actions = planFormation(desired, world, Number.POSITIVE_INFINITY, strategyOf);
    if (actions.length === 0) break;
    steps.push(actions.map((action) => describe(action, world)));
    world = applyActions(actions, world, desired, () => `planned-${nextId++}`);
  }
  return steps;
}

function describe(action: PlanAction, world: readonly ObservedProcess[]): PlannedAction {
  if (action.kind === 'start') return { action: 'start', process: `${action.type}.${action.index}`, release: action.release, reason: null };
  const p = world.find((candidate) => candidate.id === action.id) as ObservedProcess;
  return { action: action.kind, process: `${p.type}.${p.index}`, release: p.release, reason: action.kind === 'stop' ? action.reason : null };
}

function applyActions(actions: PlanAction[], world: ObservedProcess[], desired: DesiredProcesses | null, newId: () => string): ObservedProcess[] {
  const stopped = new Set(actions.filter((a) => a.kind === 'stop').map((a) => (a as { id: string }).id));
  const restarted = new Set(actions.filter((a) => a.kind === 'restart').map((a) => (a as { id: string }).id));
  const next = world.filter((p) => !stopped.has(p.id)).map((p) => (restarted.has(p.id) ? { ...p, state: 'up' as const, restartDueAt: null } : p));
  for (const action of actions) {
    if (action.kind !== 'start') continue;
    const generation = slotGeneration(desired?.generations, action.type, action.index);
    next.push({ id: newId(), type: action.type, index: action.index, release: action.release, generation, state: 'up', restartDueAt: null });
  }
  return next;
}
