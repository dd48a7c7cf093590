import { DozenError } from '@dozen/contracts/errors';
import { checkCertificate, coveredDomains } from '../certificate-check.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App } from '../model.js';
import type { StoredCertificate } from '../ports/certificates-store.js';
import { requireApp } from './require-app.js';
import { platformEvent } from './platform-event.js';

/** A certificate and the app's custom domains it serves now (the ones its names cover). */
export interface CertificateView {
  certificate: StoredCertificate;
  domains: string[];
}

export async function listCerts(deps: CoreDeps, appName: string): Promise<CertificateView[]> {
  const app = await requireApp(deps, appName);
  const domains = await domainsOf(deps, app.id);
  return (await deps.store.listCertificates(app.id)).map((certificate) => ({ certificate, domains: coveredDomains(certificate.names, domains) }));
}

export async function getCert(deps: CoreDeps, appName: string, name: string): Promise<CertificateView> {
  const app = await requireApp(deps, appName);
  const certificate = await findCert(deps, app, name);
  return { certificate, domains: coveredDomains(certificate.names, await domainsOf(deps, app.id)) };
}

/** Checks and stores a certificate, and serves it at once for the app's domains it covers (at least one). */
export async function addCert(deps: ActingDeps, appName: string, chain: string, key: string): Promise<CertificateView> {
  const app = await requireApp(deps, appName);
  return deps.locks.run(certLock(app), async () => {
    const { checked, domains } = await checkFor(deps, app, chain, key);
    const existing = await deps.store.listCertificates(app.id);
    const now = deps.clock.now().toISOString();
    const certificate: StoredCertificate = { ...checked, id: deps.ids.next(), appId: app.id, name: nextName(app.name, existing), source: 'manual', createdAt: now, updatedAt: now };
    await deps.store.insertCertificate(certificate);
    await routeCertificatesOf(deps, app);
    platformEvent(deps, app.name, 'api', `Certificate ${certificate.name} for ${domains.join(', ')} added by ${deps.actor}`);
    return { certificate, domains };
  });
}

/** Replaces a certificate (a renewal): new handshakes get the new one, open connections keep theirs. */
export async function updateCert(deps: ActingDeps, appName: string, name: string, chain: string, key: string): Promise<CertificateView> {
  const app = await requireApp(deps, appName);
  return deps.locks.run(certLock(app), async () => {
    const old = await findCert(deps, app, name);
    const { checked, domains } = await checkFor(deps, app, chain, key);
    const certificate: StoredCertificate = { ...old, ...checked, updatedAt: deps.clock.now().toISOString() };
    await deps.store.updateCertificate(certificate);
    await routeCertificatesOf(deps, app);
    platformEvent(deps, app.name, 'api', `Certificate ${certificate.name} for ${domains.join(', ')} updated by ${deps.actor}`);
    return { certificate, domains };
  });
}

export async function removeCert(deps: ActingDeps, appName: string, name: string): Promise<StoredCertificate> {
  const app = await requireApp(deps, appName);
  return deps.locks.run(certLock(app), async () => {
    const certificate = await findCert(deps, app, name);
    await deps.store.deleteCertificate(certificate.id);
    await routeCertificatesOf(deps, app);
    platformEvent(deps, app.name, 'api', `Certificate ${certificate.name} removed by ${deps.actor}`);
    return certificate;
  });
}

/** At start: every app's certificates to the router. */
export async function routeAllCertificates(deps: CoreDeps): Promise<void> {
  for (const app of await deps.store.listApps()) await routeCertificatesOf(deps, app);
}

/** The app's certificates, each for the custom domains it covers now, to the router. Called on certificate and domain changes. */
export async function routeCertificatesOf(deps: CoreDeps, app: Pick<App, 'id' | 'name'>): Promise<void> {
  const domains = await domainsOf(deps, app.id);
  const served = (await deps.store.listCertificates(app.id))
    .map((c) => ({ hostnames: coveredDomains(c.names, domains), chainPem: c.chainPem, keyPem: c.keyPem, notAfter: c.notAfter }))
    .filter((c) => c.hostnames.length > 0);
  deps.tlsRoutes.setCertificates(app.name, served);
}

async function checkFor(deps: CoreDeps, app: App, chain: string, key: string) {
  const checked = checkCertificate(chain, key, deps.clock.now());
  const appDomains = await domainsOf(deps, app.id);
  const domains = coveredDomains(checked.names, appDomains);
  if (domains.length === 0) {
    const have = appDomains.length === 0 ? `${app.name} has no custom domains` : `${app.name}'s custom domains are ${appDomains.join(', ')}`;
    throw new DozenError('CERT_DOMAINS_NOT_COVERED', `The certificate is for ${checked.names.join(', ') || 'no DNS name'}, which covers none of the app's custom domains: ${have}.`);
  }
  return { checked, domains };
}

/** The certificate called `name` (the CLI finds the name of an app's only certificate itself). */
async function findCert(deps: CoreDeps, app: App, name: string): Promise<StoredCertificate> {
  const found = (await deps.store.listCertificates(app.id)).find((c) => c.name === name);
  if (!found) throw new DozenError('CERT_NOT_FOUND', `${app.name} has no certificate named ${JSON.stringify(name)}.`);
  return found;
}

function nextName(appName: string, existing: StoredCertificate[]): string {
  const taken = new Set(existing.map((c) => c.name));
  let n = existing.length + 1;
  while (taken.has(`${appName}-${n}`)) n++;
  return `${appName}-${n}`;
}

async function domainsOf(deps: CoreDeps, appId: string): Promise<string[]> {
  return (await deps.store.listDomains(appId)).map((d) => d.hostname);
}

function certLock(app: App): string {
  return `certs:${app.id}`;
}
