import { DozenError } from '@dozen/contracts/errors';
import { checkCertificate, coveredDomains } from '../certificate-check.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { AcmeDomain } from '../ports/acme.js';
import type { StoredCertificate } from '../ports/certificates-store.js';
import type { CertificateView } from './certs.js';

/**
 * The platform's own API as the router and the certificate store see it (DOZEN_API_DOMAIN): a site
 * whose id and name no app can have (app ids are UUIDs, app names start with a letter), so its
 * certificates and ACME rows sit beside the apps' and its router entries cannot collide with an app's.
 */
export const API_SITE = { id: 'platform-api', name: '@api' } as const;

export interface ApiDomainView {
  domain: string;
  certificates: CertificateView[];
  /** Whether the certificate is obtained by ACME (DOZEN_ACME_DIRECTORY set), and its state. */
  auto: { enabled: boolean; domains: AcmeDomain[] };
}

export function isApiSite(appId: string): boolean {
  return appId === API_SITE.id;
}

/** At start: the API domain is routed, its certificates served, and its ACME row made (due now) when a CA is set. */
export async function routeApiDomain(deps: CoreDeps): Promise<void> {
  const domain = deps.settings.apiDomain;
  deps.domainRoutes.setDomains(API_SITE.name, domain === null ? [] : [domain]);
  deps.tlsRoutes.setHttpsPolicy(API_SITE.name, domain !== null && deps.settings.apiRedirect ? { redirect: true, hstsMaxAge: null } : null);
  await routeApiCertificates(deps);
  if (domain === null || deps.acme === null) {
    // Unset since the last start (or ACME turned off): nothing is ordered for it any more.
    await deps.store.setAcmeApp(API_SITE.id, false);
    await deps.store.deleteAcmeDomains(API_SITE.id);
    return;
  }
  await deps.store.setAcmeApp(API_SITE.id, true);
  const rows = await deps.store.listAcmeDomains(API_SITE.id);
  for (const row of rows) if (row.hostname !== domain) await deps.store.deleteAcmeDomains(API_SITE.id, row.hostname);
  if (!rows.some((row) => row.hostname === domain)) {
    await deps.store.putAcmeDomain({ appId: API_SITE.id, hostname: domain, state: 'pending', reason: null, nextAt: deps.clock.now().toISOString(), failures: 0 });
  }
}

/** The API domain's certificates (manual and ACME) to the router. */
export async function routeApiCertificates(deps: CoreDeps): Promise<void> {
  const domain = deps.settings.apiDomain;
  const served = domain === null ? [] : (await deps.store.listCertificates(API_SITE.id))
    .filter((c) => coveredDomains(c.names, [domain]).length > 0)
    .map((c) => ({ hostnames: [domain], chainPem: c.chainPem, keyPem: c.keyPem, notAfter: c.notAfter }));
  deps.tlsRoutes.setCertificates(API_SITE.name, served);
}

export async function getApiDomain(deps: CoreDeps): Promise<ApiDomainView> {
  const domain = requireApiDomain(deps);
  const certificates = (await deps.store.listCertificates(API_SITE.id)).map((certificate) => ({ certificate, domains: coveredDomains(certificate.names, [domain]) }));
  const enabled = deps.acme !== null;
  return { domain, certificates, auto: { enabled, domains: enabled ? await deps.store.listAcmeDomains(API_SITE.id) : [] } };
}

/** `certs:add CERT KEY --api`: checked as an app's certificate is, and served at once for the API domain. */
export async function addApiCert(deps: ActingDeps, chain: string, key: string): Promise<CertificateView> {
  const domain = requireApiDomain(deps);
  return deps.locks.run(`certs:${API_SITE.id}`, async () => {
    const checked = checkCertificate(chain, key, deps.clock.now());
    if (coveredDomains(checked.names, [domain]).length === 0) {
      throw new DozenError('CERT_DOMAINS_NOT_COVERED', `The certificate is for ${checked.names.join(', ') || 'no DNS name'}, which does not cover the API domain ${domain}.`);
    }
    const existing = await deps.store.listCertificates(API_SITE.id);
    const taken = new Set(existing.map((c) => c.name));
    let n = existing.length + 1;
    while (taken.has(`api-${n}`)) n++;
    const now = deps.clock.now().toISOString();
    const certificate: StoredCertificate = { ...checked, id: deps.ids.next(), appId: API_SITE.id, name: `api-${n}`, source: 'manual', createdAt: now, updatedAt: now };
    await deps.store.insertCertificate(certificate);
    await routeApiCertificates(deps);
    return { certificate, domains: [domain] };
  });
}

/** `certs:remove NAME --api`. */
export async function removeApiCert(deps: ActingDeps, name: string): Promise<StoredCertificate> {
  requireApiDomain(deps);
  return deps.locks.run(`certs:${API_SITE.id}`, async () => {
    const found = (await deps.store.listCertificates(API_SITE.id)).find((c) => c.name === name);
    if (!found) throw new DozenError('CERT_NOT_FOUND', `The API domain has no certificate named ${JSON.stringify(name)}.`);
    await deps.store.deleteCertificate(found.id);
    await routeApiCertificates(deps);
    return found;
  });
}

function requireApiDomain(deps: CoreDeps): string {
  const domain = deps.settings.apiDomain;
  if (domain === null) throw new DozenError('API_DOMAIN_NOT_SET', 'The platform has no API domain (DOZEN_API_DOMAIN is not set).');
  return domain;
}
