import type { Logger } from 'pino';
import type { Leases } from '../cluster/cluster-ports.js';
import type { CoreDeps } from '../core/deps.js';
import { AutoCertificates } from '../core/auto-certificates.js';
import { CronScheduler } from '../core/cron-scheduler.js';
import { GarbageCollector } from '../core/garbage-collector.js';
import { ReviewSweeper } from '../core/review-sweeper.js';

/** The name of the lease under which one process of a cluster runs the singletons. */
export const SCHEDULER_LEASE = 'scheduler';

const idle = { kick: () => undefined, stop: async () => undefined };

/**
 * The singletons of the control plane (GC, the cron scheduler, automatic certificates, the review
 * sweeper) in a cluster: every api process competes for the lease `scheduler`; the holder runs
 * them, fresh ones each time it acquires the lease, and stops them the moment it loses it. The
 * others leave `deps.gc` and the certificates' scheduler idle (a release's kick there is a no-op:
 * the holder's GC and certificates find the work in the store).
 */
export function holdScheduler(deps: CoreDeps, leases: Leases, logger: Logger, extra: ExtraSingleton[] = []): { stop(): Promise<void> } {
  const log = logger.child({ lease: SCHEDULER_LEASE });
  let running: { stop(): Promise<void> } | null = null;
  // Bumped by each acquisition and loss: a start that finds it changed was overtaken and stops its set.
  let generation = 0;
  let starting: Promise<unknown> = Promise.resolve();
  let stopping: Promise<unknown> = Promise.resolve();
  const setIdle = () => {
    deps.gc = idle;
    if (deps.acme !== null) deps.acme.scheduler = idle;
  };
  const retire = (set: { stop(): Promise<void> } | null) => {
    if (set === null) return;
    const stopped = set.stop().catch((error: unknown) => log.error({ err: error }, `The singletons did not stop cleanly: ${(error as Error).message}`));
    stopping = Promise.all([stopping, stopped]);
  };
  const start = async (mine: number) => {
    retire(running);
    running = null;
    const started = await startSingletons(deps, log, extra);
    // Lost (or acquired again) while starting: these run without the lease, so they stop at once.
    if (generation !== mine) return retire(started);
    running = started;
    log.info('holds the lease scheduler: runs GC, cron, automatic certificates and the review sweeper');
  };
  void deps.gc.stop();
  setIdle();
  const lease = leases.hold(SCHEDULER_LEASE, {
    acquired: () => {
      const mine = ++generation;
      const started = start(mine);
      starting = Promise.all([starting, started.catch(() => undefined)]);
      return started;
    },
    lost: () => {
      generation++;
      const was = running;
      running = null;
      setIdle();
      retire(was);
      log.warn('lost the lease scheduler: the singletons stopped here (another process takes them over)');
    },
  });
  return {
    stop: async () => {
      await lease.stop();
      generation++;
      retire(running);
      running = null;
      await starting;
      await stopping;
    },
  };
}

/** A singleton of a role's own (e.g. the sweep of orphaned builds), started with the others. */
export type ExtraSingleton = (log: Logger) => { stop(): void };

async function startSingletons(deps: CoreDeps, log: Logger, extra: ExtraSingleton[]): Promise<{ stop(): Promise<void> }> {
  const gc = GarbageCollector.attach(deps, log.child({ role: 'gc' }));
  const cron = CronScheduler.attach(deps, (error, message) => log.error({ err: error }, message));
  const certificates = new AutoCertificates(deps);
  if (deps.acme !== null) deps.acme.scheduler = certificates;
  const sweeper = new ReviewSweeper(deps, log.child({ role: 'review-apps' }));
  await cron.start();
  gc.kick();
  certificates.kick();
  sweeper.start();
  const others = extra.map((start) => start(log));
  return {
    stop: async () => {
      for (const other of others) other.stop();
      cron.stop();
      certificates.stop();
      sweeper.stop();
      await gc.stop();
    },
  };
}
