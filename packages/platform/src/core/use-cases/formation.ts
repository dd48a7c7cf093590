import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Formation, ProcessTypes } from '../model.js';
import type { RunTarget } from '../ports/runtime.js';
import { defaultStrategy } from '../formation-plan.js';
import { isFormationType } from '../procfile.js';
import { previewRollout, type PlannedAction } from '../rollout-preview.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

export interface FormationEntry {
  type: string;
  quantity: number;
  command: string;
}

export interface FormationUpdate {
  type: string;
  quantity: number;
}

export async function getFormation(deps: CoreDeps, appName: string): Promise<FormationEntry[]> {
  const app = await requireApp(deps, appName);
  const target = await currentRunTarget(deps, app);
  const formation = await deps.store.getFormation(app.id);
  const types = target?.processTypes ?? {};
  return Object.keys(types).filter(isFormationType).map((type) => ({ type, quantity: formation[type] ?? 0, command: types[type] ?? '' }));
}

/** Changes process counts of the current release's types; the runtime converges at once. */
export async function scale(deps: ActingDeps, appName: string, updates: FormationUpdate[]): Promise<FormationEntry[]> {
  const { id } = await requireApp(deps, appName);
  await deps.locks.run(id, async () => {
    const app = await requireApp(deps, appName);
    const target = await scaledTarget(deps, app, updates);
    await deps.store.setFormation(app.id, target.formation);
    deps.runtime.converge(app.name, target);
    const summary = updates.map(({ type, quantity }) => `${type}@${quantity}`).join(', ');
    platformEvent(deps, app.name, 'api', `Scaled to ${summary} by ${deps.actor}`);
  });
  return getFormation(deps, appName);
}

/** What `scale` would do, step by step, without doing it (`ps:scale --dry-run`). */
export async function previewScale(deps: CoreDeps, appName: string, updates: FormationUpdate[]): Promise<{ release: number; steps: PlannedAction[][] }> {
  const app = await requireApp(deps, appName);
  const target = await scaledTarget(deps, app, updates);
  const observed = await deps.runtime.observe(app.name);
  const desired = { release: target.release, processTypes: target.processTypes, formation: target.formation, generations: observed.generations };
  return { release: target.release, steps: previewRollout(desired, observed.processes, (type) => target.settings?.[type]?.strategy ?? defaultStrategy(type)) };
}

async function scaledTarget(deps: CoreDeps, app: App, updates: FormationUpdate[]): Promise<RunTarget> {
  const target = await currentRunTarget(deps, app);
  if (!target) throw new DozenError('NO_RELEASE', `${app.name} has no deployed release, so there is nothing to scale.`);
  for (const update of updates) assertScalable(update, target.processTypes, deps.settings.maxProcessesPerType);
  const formation: Formation = { ...target.formation };
  for (const { type, quantity } of updates) formation[type] = quantity;
  assertWithinAppLimit(app.name, formation, target.processTypes, deps.settings.maxProcessesPerApp);
  return { ...target, formation };
}

export function assertKnownType(type: string, processTypes: ProcessTypes): void {
  if (!Object.hasOwn(processTypes, type)) {
    const known = Object.keys(processTypes).join(', ') || 'none';
    throw new DozenError('PROCESS_TYPE_UNKNOWN', `Unknown process type ${JSON.stringify(type)}; the current release has: ${known}.`);
  }
}

function assertScalable(update: FormationUpdate, processTypes: ProcessTypes, max: number): void {
  assertKnownType(update.type, processTypes);
  if (update.type === 'release' && update.quantity !== 0) {
    throw new DozenError('FORMATION_INVALID', 'The release process type runs once per release (the release phase) and cannot be scaled.');
  }
  if (!Number.isInteger(update.quantity) || update.quantity < 0 || update.quantity > max) {
    throw new DozenError('FORMATION_INVALID', `Cannot scale ${update.type} to ${update.quantity}: the quantity must be a whole number from 0 to ${max}.`);
  }
}

function assertWithinAppLimit(app: string, formation: Formation, processTypes: ProcessTypes, max: number): void {
  const total = Object.entries(formation).reduce((sum, [type, quantity]) => sum + (Object.hasOwn(processTypes, type) ? quantity : 0), 0);
  if (total > max) {
    throw new DozenError('FORMATION_INVALID', `Cannot scale ${app} to ${total} processes in all: an app may run at most ${max} (DOZEN_MAX_PROCESSES_PER_APP).`);
  }
}
