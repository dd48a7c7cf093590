import type { Domain } from '../model.js';

/** Custom domains. */
export interface DomainsStore {
  insertDomain(domain: Domain): Promise<void>;
  /** The domain with this hostname, whichever app has it. */
  findDomain(hostname: string): Promise<Domain | undefined>;
  /** An app's domains, or every domain when `appId` is undefined; sorted by hostname. */
  listDomains(appId?: string): Promise<Domain[]>;
  deleteDomain(domainId: string): Promise<void>;
}
