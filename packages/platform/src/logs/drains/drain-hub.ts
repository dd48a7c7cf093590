import { parseDrainUrl } from '../../core/drain-url.js';
import type { Drain, DrainStats, LogRecord } from '../../core/model.js';
import type { DrainHub } from '../../core/ports/logs.js';
import { resolveAllowed, type AddressPolicy } from './address-policy.js';
import { DrainWorker, type Backoff } from './drain-worker.js';
import { HttpsTransport } from './https-transport.js';
import { SyslogTransport } from './syslog-transport.js';

export interface DrainHubOptions extends AddressPolicy {
  /** Messages buffered per drain before the oldest are dropped. */
  bufferLines: number;
  backoff?: Backoff;
}

const DEFAULT_BACKOFF: Backoff = { baseMs: 500, maxMs: 30_000, random: Math.random };

/** Every drain of every app, fed from the log bus (see main.ts: `logs.tap`). */
export class LocalDrainHub implements DrainHub {
  private readonly workers = new Map<string, DrainWorker>();
  private readonly byApp = new Map<string, Set<DrainWorker>>();

  constructor(private readonly options: DrainHubOptions) {}

  async verify(url: string): Promise<void> {
    const target = parseDrainUrl(url);
    await resolveAllowed(target.host, target.port, this.options);
  }

  start(app: string, drain: Drain): void {
    if (this.workers.has(drain.id)) return;
    const target = parseDrainUrl(drain.url);
    const transport = target.kind === 'https' ? new HttpsTransport(target, this.options, drain.url, drain.id) : new SyslogTransport(target, this.options);
    const worker = new DrainWorker(drain.id, transport, this.options.bufferLines, this.options.backoff ?? DEFAULT_BACKOFF);
    this.workers.set(drain.id, worker);
    let set = this.byApp.get(app);
    if (!set) this.byApp.set(app, (set = new Set()));
    set.add(worker);
  }

  async stop(drainId: string): Promise<void> {
    const worker = this.workers.get(drainId);
    if (!worker) return;
    this.workers.delete(drainId);
    for (const [app, set] of this.byApp) {
      set.delete(worker);
      if (set.size === 0) this.byApp.delete(app);
    }
    await worker.stop();
  }

  stats(drainId: string): DrainStats {
    return this.workers.get(drainId)?.stats() ?? { delivered: 0, dropped: 0, retries: 0, queued: 0, lastError: null, lastErrorAt: null };
  }

  /** One app's freshly written lines (a tap of the log bus). */
  deliver(records: LogRecord[]): void {
    const app = records[0]?.app;
    const workers = app === undefined ? undefined : this.byApp.get(app);
    if (!workers) return;
    for (const worker of workers) for (const record of records) worker.push(record);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((id) => this.stop(id)));
  }
}
