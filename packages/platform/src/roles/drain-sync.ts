import type { Logger } from 'pino';
import type { CoreDeps } from '../core/deps.js';
import type { Drain } from '../core/model.js';

/** How often a runtime process looks at the drains in the store (added or removed through any api). */
const SYNC_MS = 2000;

/**
 * Log drains in a cluster (issue 19): the apps' lines are written by the runtime leader, so its
 * drain hub is the one fed (the graph's `logs.tap`). The drains are added and removed through the
 * apis, into the store; every runtime process keeps its hub equal to the store's drains, at once
 * and then every SYNC_MS (a standby's hub gets no lines until it leads). Returns the stop.
 */
export function syncDrains(deps: Pick<CoreDeps, 'store' | 'drains'>, logger: Logger): () => void {
  const running = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const sync = async () => {
    const wanted = new Map<string, { app: string; drain: Drain }>();
    for (const app of await deps.store.listApps()) for (const drain of await deps.store.listDrains(app.id)) wanted.set(drain.id, { app: app.name, drain });
    for (const [id, { app, drain }] of wanted) {
      if (running.has(id)) continue;
      deps.drains.start(app, drain);
      running.add(id);
    }
    for (const id of [...running]) {
      if (wanted.has(id)) continue;
      running.delete(id);
      await deps.drains.stop(id);
    }
  };
  const loop = () => {
    if (stopped) return;
    sync().then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error }, `The drains could not be read from the store: ${(error as Error).message}`),
    ).finally(() => {
      if (!stopped) timer = setTimeout(loop, SYNC_MS);
    });
  };
  loop();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}
