import type { Formation, ProcessTypeSettings } from '../model.js';

/** How many processes of each type run, and how each type starts and stops. */
export interface FormationStore {
  getFormation(appId: string): Promise<Formation>;
  setFormation(appId: string, formation: Formation): Promise<void>;
  getProcessSettings(appId: string): Promise<Record<string, ProcessTypeSettings>>;
  /** Replaces the settings of one process type; an empty object returns it to the defaults. */
  setProcessSettings(appId: string, type: string, settings: ProcessTypeSettings): Promise<void>;
}
