import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import { assertDomainName } from '../domain-names.js';
import type { Domain } from '../model.js';
import { requireApp } from './apps.js';
import { routeCertificatesOf } from './certs.js';
import { syncAcmeDomains } from './certs-auto.js';
import { platformEvent } from './platform-event.js';

export async function listDomains(deps: CoreDeps, appName: string): Promise<Domain[]> {
  const app = await requireApp(deps, appName);
  return deps.store.listDomains(app.id);
}

/** Routes a custom domain to an app at once; a domain belongs to one app at a time. */
export async function addDomain(deps: ActingDeps, appName: string, hostname: string): Promise<Domain> {
  const app = await requireApp(deps, appName);
  assertDomainName(hostname, deps.settings.domain);
  if (hostname === deps.settings.apiDomain) throw new DozenError('DOMAIN_TAKEN', `Domain ${hostname} is the platform's API domain (DOZEN_API_DOMAIN).`, { hint: 'Give the app another domain; the API domain serves the platform\'s API.' });
  return deps.locks.run('domains', async () => {
    const existing = await deps.store.findDomain(hostname);
    if (existing) {
      const owner = existing.appId === app.id ? app.name : ((await deps.store.listApps()).find((a) => a.id === existing.appId)?.name ?? 'another app');
      throw new DozenError('DOMAIN_TAKEN', `Domain ${hostname} is already routed to ${owner}.`);
    }
    const domain: Domain = { id: deps.ids.next(), appId: app.id, hostname, createdAt: deps.clock.now().toISOString() };
    await deps.store.insertDomain(domain);
    await routeDomainsOf(deps, app.id, app.name);
    platformEvent(deps, app.name, 'api', `Domain ${hostname} added by ${deps.actor}`);
    return domain;
  });
}

export async function removeDomain(deps: ActingDeps, appName: string, hostname: string): Promise<void> {
  const app = await requireApp(deps, appName);
  await deps.locks.run('domains', async () => {
    const domain = (await deps.store.listDomains(app.id)).find((d) => d.hostname === hostname);
    if (!domain) throw new DozenError('DOMAIN_NOT_FOUND', `${app.name} has no domain ${JSON.stringify(hostname)}.`);
    await deps.store.deleteDomain(domain.id);
    await routeDomainsOf(deps, app.id, app.name);
    platformEvent(deps, app.name, 'api', `Domain ${hostname} removed by ${deps.actor}`);
  });
}

/** At start: every app's domains to the router. */
export async function routeAllDomains(deps: CoreDeps): Promise<void> {
  const byApp = new Map<string, string[]>();
  for (const domain of await deps.store.listDomains()) byApp.set(domain.appId, [...(byApp.get(domain.appId) ?? []), domain.hostname]);
  for (const app of await deps.store.listApps()) deps.domainRoutes.setDomains(app.name, byApp.get(app.id) ?? []);
}

async function routeDomainsOf(deps: CoreDeps, appId: string, appName: string): Promise<void> {
  deps.domainRoutes.setDomains(appName, (await deps.store.listDomains(appId)).map((d) => d.hostname));
  // A certificate serves the app's domains it covers: that set changes with the domains.
  await routeCertificatesOf(deps, { id: appId, name: appName });
  await syncAcmeDomains(deps, { id: appId, name: appName });
}
