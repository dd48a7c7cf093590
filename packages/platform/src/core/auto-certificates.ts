import type { CoreDeps } from './deps.js';
import type { AcmeDomain } from './ports/acme.js';
import { orderCertificate } from './use-cases/certs-auto.js';

/** The scheduler wakes up at least this often, so a clock change or a missed timer is caught up. */
const MAX_SLEEP_MS = 3600 * 1000;

/**
 * Runs the automatic certificates' orders when they are due (first orders, retries with backoff,
 * renewals), one at a time, and sleeps until the next one on the core's clock. `kick()` after a
 * change makes it look again at once.
 */
export class AutoCertificates {
  private running = false;
  private again = false;
  private cancel: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: CoreDeps) {}

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.cancel?.();
    this.cancel = null;
    void this.run().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private async run(): Promise<void> {
    const acme = this.deps.acme;
    if (acme === null) return;
    let next = Infinity;
    try {
      const enabled = new Set(await this.deps.store.listAcmeApps());
      for (const domain of await this.deps.store.listAcmeDomains()) {
        if (this.stopped) return;
        if (!enabled.has(domain.appId)) continue;
        let row: AcmeDomain = domain;
        if (Date.parse(domain.nextAt) <= this.deps.clock.now().getTime()) {
          row = await orderCertificate(this.deps, acme, domain);
          if ((await this.deps.store.listAcmeDomains(domain.appId)).some((d) => d.hostname === domain.hostname)) await this.deps.store.putAcmeDomain(row);
        }
        next = Math.min(next, Date.parse(row.nextAt));
      }
    } catch {
      // The store failed: try again in a while.
      next = this.deps.clock.now().getTime() + 60_000;
    }
    if (this.stopped) return;
    const wait = Math.max(0, Math.min(MAX_SLEEP_MS, next - this.deps.clock.now().getTime()));
    this.cancel = this.deps.clock.after(wait, () => this.kick());
  }
}
