import { generateKeyPairSync } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import { renewAt, retryDelay } from '../acme-schedule.js';
import { checkCertificate } from '../certificate-check.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App } from '../model.js';
import type { AcmeDomain, AcmeIssuer } from '../ports/acme.js';
import type { StoredCertificate } from '../ports/certificates-store.js';
import { API_SITE, isApiSite, routeApiCertificates } from './api-domain.js';
import { routeCertificatesOf } from './certs.js';
import { platformEvent } from './platform-event.js';
import { requireApp } from './require-app.js';

type Acme = NonNullable<CoreDeps['acme']>;

/** `certs:auto`: whether the app has automatic certificates, and each domain's state. */
export async function autoCertsStatus(deps: CoreDeps, appName: string): Promise<{ enabled: boolean; domains: AcmeDomain[] }> {
  const app = await requireApp(deps, appName);
  return { enabled: (await deps.store.listAcmeApps()).includes(app.id), domains: await deps.store.listAcmeDomains(app.id) };
}

/** Orders a certificate for every custom domain of the app now, and renews them from then on. */
export async function enableAutoCerts(deps: ActingDeps, appName: string): Promise<{ enabled: boolean; domains: AcmeDomain[] }> {
  const app = await requireApp(deps, appName);
  const acme = acmeOf(deps);
  await deps.store.setAcmeApp(app.id, true);
  await syncAcmeDomains(deps, app, true);
  platformEvent(deps, app.name, 'api', `Automatic certificates enabled by ${deps.actor} (CA ${acme.issuer.directory})`);
  acme.scheduler.kick();
  return autoCertsStatus(deps, app.name);
}

/** Stops ordering and renewing; the certificates already issued are removed (manual ones stay). */
export async function disableAutoCerts(deps: ActingDeps, appName: string): Promise<{ enabled: boolean; domains: AcmeDomain[] }> {
  const app = await requireApp(deps, appName);
  await deps.store.setAcmeApp(app.id, false);
  await deps.store.deleteAcmeDomains(app.id);
  for (const c of await deps.store.listCertificates(app.id)) if (c.source === 'acme') await deps.store.deleteCertificate(c.id);
  await routeCertificatesOf(deps, app);
  platformEvent(deps, app.name, 'api', `Automatic certificates disabled by ${deps.actor}`);
  return autoCertsStatus(deps, app.name);
}

/** `certs:auto:refresh`: every domain of the app is ordered again now (Heroku's command). */
export async function refreshAutoCerts(deps: ActingDeps, appName: string): Promise<{ enabled: boolean; domains: AcmeDomain[] }> {
  const app = await requireApp(deps, appName);
  const acme = acmeOf(deps);
  if (!(await deps.store.listAcmeApps()).includes(app.id)) throw new DozenError('ACME_NOT_ENABLED', `${app.name} does not have automatic certificates.`);
  const now = deps.clock.now().toISOString();
  for (const domain of await deps.store.listAcmeDomains(app.id)) await deps.store.putAcmeDomain({ ...domain, nextAt: now, failures: 0 });
  platformEvent(deps, app.name, 'api', `Automatic certificates refreshed by ${deps.actor}`);
  acme.scheduler.kick();
  return autoCertsStatus(deps, app.name);
}

/** After domains:add/remove: the app's ACME rows follow its custom domains (new ones are due now). */
export async function syncAcmeDomains(deps: CoreDeps, app: Pick<App, 'id' | 'name'>, known = false): Promise<void> {
  if (deps.acme === null || (!known && !(await deps.store.listAcmeApps()).includes(app.id))) return;
  const rows = new Map((await deps.store.listAcmeDomains(app.id)).map((d) => [d.hostname, d]));
  const domains = (await deps.store.listDomains(app.id)).map((d) => d.hostname);
  for (const hostname of rows.keys()) if (!domains.includes(hostname)) await deps.store.deleteAcmeDomains(app.id, hostname);
  const now = deps.clock.now().toISOString();
  for (const hostname of domains) {
    if (rows.has(hostname)) continue;
    const wildcard = hostname.startsWith('*.');
    await deps.store.putAcmeDomain({ appId: app.id, hostname, state: wildcard ? 'failing' : 'pending', reason: wildcard ? 'a wildcard domain needs the DNS-01 challenge, which Dozen does not answer: add a certificate with certs:add' : null, nextAt: wildcard ? '9999-12-31T00:00:00.000Z' : now, failures: 0 });
  }
  deps.acme.scheduler.kick();
}

/** Orders one domain's certificate; the outcome is the domain's new row (issued, or failing with the reason). */
export async function orderCertificate(deps: CoreDeps, acme: Acme, domain: AcmeDomain): Promise<AcmeDomain> {
  const app = isApiSite(domain.appId) ? API_SITE : (await deps.store.listApps()).find((a) => a.id === domain.appId);
  if (!app) return domain;
  const event = (message: string) => {
    if (!isApiSite(app.id)) platformEvent(deps, app.name, 'router', message);
  };
  try {
    const issued = await acme.issuer.issue(domain.hostname, await accountKey(deps, acme.issuer));
    const checked = checkCertificate(issued.chainPem, issued.keyPem, deps.clock.now());
    const now = deps.clock.now().toISOString();
    const existing = (await deps.store.listCertificates(app.id)).find((c) => c.source === 'acme' && c.name === autoName(domain.hostname));
    const certificate: StoredCertificate = { ...checked, id: existing?.id ?? deps.ids.next(), appId: app.id, name: autoName(domain.hostname), source: 'acme', createdAt: existing?.createdAt ?? now, updatedAt: now };
    if (existing) await deps.store.updateCertificate(certificate);
    else await deps.store.insertCertificate(certificate);
    await (isApiSite(app.id) ? routeApiCertificates(deps) : routeCertificatesOf(deps, app));
    event(`Certificate for ${domain.hostname} ${existing ? 'renewed' : 'issued'} by the CA, valid until ${checked.notAfter}`);
    return { ...domain, state: 'issued', reason: null, failures: 0, nextAt: renewAt(checked.notBefore, checked.notAfter) };
  } catch (error) {
    const failures = domain.failures + 1;
    const reason = ((error as Error).message || String(error)).replace(/\s+/g, ' ').slice(0, 500);
    event(`Certificate for ${domain.hostname} not issued (attempt ${failures}): ${reason}`);
    const retry = new Date(deps.clock.now().getTime() + retryDelay(failures, acme.retryBaseMs)).toISOString();
    return { ...domain, state: 'failing', reason, failures, nextAt: retry };
  }
}

async function accountKey(deps: CoreDeps, issuer: AcmeIssuer): Promise<string> {
  const stored = await deps.store.getAcmeAccountKey(issuer.directory);
  if (stored !== undefined) return stored;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await deps.store.setAcmeAccountKey(issuer.directory, key);
  return key;
}

function autoName(hostname: string): string {
  return `auto-${hostname}`;
}

function acmeOf(deps: CoreDeps): Acme {
  if (deps.acme === null) throw new DozenError('ACME_NOT_ENABLED', 'Automatic certificates are off on this platform (DOZEN_ACME_DIRECTORY=off, or no HTTPS listener).');
  return deps.acme;
}
