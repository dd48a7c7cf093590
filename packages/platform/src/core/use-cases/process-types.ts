import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import { defaultStrategy } from '../formation-plan.js';
import type { ProcessTypeSettings, RolloutStrategy } from '../model.js';
import { assertSize, DEFAULT_SIZE } from '../process-sizes.js';
import { requireApp } from './apps.js';
import { assertKnownType } from './formation.js';
import { platformEvent } from './platform-event.js';
import { currentRunTarget } from './run-target.js';

/** A process type with the settings its processes run with (the type's own, else the defaults). */
export interface ProcessTypeEntry {
  type: string;
  command: string;
  quantity: number;
  graceSeconds: number;
  bootTimeoutSeconds: number;
  strategy: RolloutStrategy;
  size: string;
  /** Which of the settings the type sets itself. */
  custom: (keyof ProcessTypeSettings)[];
}

/** null resets a setting to the platform's default. */
export type ProcessTypeChange = { [K in keyof ProcessTypeSettings]?: ProcessTypeSettings[K] | null };

export const SETTING_LIMITS = { graceSeconds: [0, 3600], bootTimeoutSeconds: [1, 3600] } as const;

export async function listProcessTypes(deps: CoreDeps, appName: string): Promise<ProcessTypeEntry[]> {
  const app = await requireApp(deps, appName);
  const target = await currentRunTarget(deps, app);
  if (!target) return [];
  return Object.entries(target.processTypes).map(([type, command]) => {
    const own = target.settings?.[type] ?? {};
    return {
      type,
      command,
      quantity: target.formation[type] ?? 0,
      graceSeconds: own.graceSeconds ?? deps.settings.processDefaults.graceSeconds,
      bootTimeoutSeconds: own.bootTimeoutSeconds ?? deps.settings.processDefaults.bootTimeoutSeconds,
      strategy: own.strategy ?? defaultStrategy(type),
      size: own.size ?? DEFAULT_SIZE,
      custom: Object.keys(own) as (keyof ProcessTypeSettings)[],
    };
  });
}

/** Changes a type's grace period, boot timeout or rollout strategy; they apply from the next start or stop. */
export async function updateProcessType(deps: ActingDeps, appName: string, type: string, change: ProcessTypeChange): Promise<ProcessTypeEntry> {
  assertSettings(type, change);
  if (typeof change.size === 'string') assertSize(deps.settings.sizes, change.size, deps.settings.hostMemoryBytes);
  const { id } = await requireApp(deps, appName);
  await deps.locks.run(id, async () => {
    const app = await requireApp(deps, appName);
    const target = await currentRunTarget(deps, app);
    if (!target) throw new DozenError('NO_RELEASE', `${appName} has no deployed release, so it has no process types yet.`);
    assertKnownType(type, target.processTypes);
    const settings: ProcessTypeSettings = { ...target.settings?.[type] };
    for (const [key, value] of Object.entries(change) as [keyof ProcessTypeSettings, unknown][]) {
      if (value === null) delete settings[key];
      else if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
    }
    await deps.store.setProcessSettings(app.id, type, settings);
    deps.runtime.converge(app.name, { ...target, settings: { ...target.settings, [type]: settings } });
    platformEvent(deps, app.name, 'api', `Changed ${type} settings by ${deps.actor}: ${describe(change)}`);
  });
  // A new size takes a restart to apply (Heroku restarts resized dynos): one by one, as ps:restart does.
  if (change.size !== undefined) await deps.runtime.restart(appName, type);
  return (await listProcessTypes(deps, appName)).find((entry) => entry.type === type) as ProcessTypeEntry;
}

function assertSettings(type: string, change: ProcessTypeChange): void {
  for (const key of ['graceSeconds', 'bootTimeoutSeconds'] as const) {
    const value = change[key];
    const [min, max] = SETTING_LIMITS[key];
    if (value !== undefined && value !== null && (!Number.isInteger(value) || value < min || value > max)) {
      throw new DozenError('PROCESS_SETTINGS_INVALID', `${key} of ${type} cannot be ${value}: give a whole number of seconds from ${min} to ${max}.`);
    }
  }
  const strategy = change.strategy;
  if (strategy !== undefined && strategy !== null && strategy !== 'start-first' && strategy !== 'stop-first') {
    throw new DozenError('PROCESS_SETTINGS_INVALID', `The strategy of ${type} cannot be ${JSON.stringify(strategy)}: use start-first or stop-first.`);
  }
}

function describe(change: ProcessTypeChange): string {
  return Object.entries(change).map(([key, value]) => `${key}=${value === null ? 'default' : String(value)}`).join(', ');
}
