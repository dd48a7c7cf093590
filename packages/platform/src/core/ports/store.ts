/**
 * The Store the composition root builds: one interface per area (a feature touches its own), put
 * together here. Use cases name the part they need when they can.
 */
import type { AppsStore } from './apps-store.js';
import type { BuildsStore } from './builds-store.js';
import type { ReleasesStore } from './releases-store.js';
import type { FormationStore } from './formation-store.js';
import type { AddonsStore } from './addons-store.js';
import type { DomainsStore } from './domains-store.js';
import type { DrainsStore } from './drains-store.js';
import type { TokensStore } from './tokens-store.js';
import type { AuditStore } from './audit-store.js';
import type { UsersStore } from './users-store.js';
import type { CertificatesStore } from './certificates-store.js';
import type { AcmeStore } from './acme.js';
import type { ScorecardStore } from './scorecard-store.js';
import type { CronStore } from './cron-store.js';
import type { PipelinesStore } from './pipelines-store.js';

export interface StoreLifecycle {
  /** Runs `fn` in one transaction; the store passed to `fn` is bound to it. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Store = StoreLifecycle & AppsStore & BuildsStore & ReleasesStore & FormationStore & AddonsStore & DomainsStore & DrainsStore & TokensStore & AuditStore & UsersStore & CertificatesStore & AcmeStore & ScorecardStore & CronStore & PipelinesStore;
