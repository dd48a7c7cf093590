import { DozenError } from '@dozen/contracts/errors';
import type { ManagedProcess } from './managed-process.js';
import type { RolloutStatus } from './rollout-status.js';

export const SUPERSEDED = 'superseded';

export interface Watchable {
  readonly processes: Map<string, ManagedProcess>;
  /** Called after every change of the app's processes. */
  readonly watchers: Set<() => void>;
  currentRelease(): number | null;
}

/**
 * Resolves once `check` is no longer pending (or at `deadlineMs`: then a failure), printing each
 * new state of the target's processes on the way.
 */
export function watchRollout(app: Watchable, progress: (line: string) => void, check: () => RolloutStatus, deadlineMs: number): Promise<RolloutStatus> {
  const deadline = Date.now() + deadlineMs;
  return new Promise((resolve) => {
    const seen = new Map<string, string>();
    const evaluate = () => {
      for (const p of app.processes.values()) {
        const key = `${p.id}:${p.state}`;
        if (seen.get(p.id) !== key && p.spec.release === app.currentRelease()) {
          seen.set(p.id, key);
          progress(`       ${p.name}: ${p.state}`);
        }
      }
      const status = check();
      if (status.kind === 'pending' && Date.now() < deadline) return;
      app.watchers.delete(evaluate);
      clearTimeout(timer);
      resolve(status.kind === 'pending' ? { kind: 'failed', process: null, message: `the processes did not come up within ${Math.round(deadlineMs / 1000)} s` } : status);
    };
    const timer = setTimeout(evaluate, deadline - Date.now() + 10);
    app.watchers.add(evaluate);
    evaluate();
  });
}

/** The error a failed rollout answers with, after printing the failing process's last lines. */
export function bootFailure(status: RolloutStatus, progress: (line: string) => void): DozenError {
  if (status.kind !== 'failed') return new DozenError('INTERNAL', 'rollout ended without a failure');
  if (status.process === null && status.message === SUPERSEDED) return new DozenError('RELEASE_SUPERSEDED', 'A newer release replaced this one before it came up.');
  const tail = status.process?.tail ?? [];
  if (tail.length > 0) {
    progress(`       Last output of ${status.process?.name}:`);
    for (const line of tail) progress(`       | ${line}`);
  }
  return new DozenError('RELEASE_BOOT_FAILED', `${status.message}.`);
}
