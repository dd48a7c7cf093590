import type { Drain } from '../model.js';

/** Log drains. */
export interface DrainsStore {
  insertDrain(drain: Drain): Promise<void>;
  listDrains(appId: string): Promise<Drain[]>;
  deleteDrain(appId: string, drainId: string): Promise<void>;
}
