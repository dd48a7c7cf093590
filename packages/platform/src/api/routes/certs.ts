import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import type { HttpsSettings } from '../../core/ports/certificates-store.js';
import { addCert, getCert, listCerts, removeCert, updateCert } from '../../core/use-cases/certs.js';
import { getHttps, setHttps } from '../../core/use-cases/https-settings.js';
import { autoCertsStatus, disableAutoCerts, enableAutoCerts, refreshAutoCerts } from '../../core/use-cases/certs-auto.js';
import type { AcmeDomain } from '../../core/ports/acme.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireCertificate } from '../wire.js';

/** Certificates (`certs:*`) and HTTPS settings (`https:*`). Private keys go in, never out. */
export function certRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.listCerts, async ({ params }) => (await listCerts(deps, params.app)).map(toWireCertificate));
  jsonRoute(app, routes.addCert, async ({ params, body, request }) => toWireCertificate(await addCert(acting(deps, request), params.app, body.certificate, body.privateKey)));
  jsonRoute(app, routes.getCert, async ({ params }) => toWireCertificate(await getCert(deps, params.app, params.cert)));
  jsonRoute(app, routes.updateCert, async ({ params, body, request }) => toWireCertificate(await updateCert(acting(deps, request), params.app, params.cert, body.certificate, body.privateKey)));
  jsonRoute(app, routes.removeCert, async ({ params, request }) => {
    const certificate = await removeCert(acting(deps, request), params.app, params.cert);
    return toWireCertificate({ certificate, domains: [] });
  });
  jsonRoute(app, routes.getAcm, async ({ params }) => toWireAcm(await autoCertsStatus(deps, params.app)));
  jsonRoute(app, routes.enableAcm, async ({ params, request }) => toWireAcm(await enableAutoCerts(acting(deps, request), params.app)));
  jsonRoute(app, routes.disableAcm, async ({ params, request }) => toWireAcm(await disableAutoCerts(acting(deps, request), params.app)));
  jsonRoute(app, routes.refreshAcm, async ({ params, request }) => toWireAcm(await refreshAutoCerts(acting(deps, request), params.app)));
  jsonRoute(app, routes.getHttps, async ({ params }) => getHttps(deps, params.app));
  jsonRoute(app, routes.updateHttps, async ({ params, body, request }) => setHttps(acting(deps, request), params.app, body as Partial<HttpsSettings>));
}

export function toWireAcm(status: { enabled: boolean; domains: AcmeDomain[] }) {
  return { enabled: status.enabled, domains: status.domains.map(({ hostname, state, reason, nextAt, failures }) => ({ hostname, state, reason, nextAt, failures })) };
}
