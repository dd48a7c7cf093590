import type { LeaseHandlers, Leases } from './cluster-ports.js';

/** One process (`dozen up`) holds every lease: acquired at once, lost only when stopped. */
export class LocalLeases implements Leases {
  hold(_name: string, handlers: LeaseHandlers): { stop(): Promise<void> } {
    let state: 'starting' | 'held' | 'stopped' = 'starting';
    queueMicrotask(() => {
      if (state !== 'starting') return;
      state = 'held';
      void Promise.resolve()
        .then(() => handlers.acquired())
        .catch(() => undefined);
    });
    return {
      stop: async () => {
        const was = state;
        state = 'stopped';
        if (was === 'held') handlers.lost();
      },
    };
  }
}
