import type { FastifyInstance } from 'fastify';
import { routes } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { addApiCert, getApiDomain, removeApiCert } from '../../core/use-cases/api-domain.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireCertificate } from '../wire.js';
import { toWireAcm } from './certs.js';

/** The API domain (DOZEN_API_DOMAIN) and its certificates: `certs --api`, `certs:add --api`, `certs:remove --api` (admins). */
export function apiDomainRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getApiDomain, async () => {
    const view = await getApiDomain(deps);
    return { domain: view.domain, certificates: view.certificates.map(toWireCertificate), auto: toWireAcm(view.auto) };
  });
  jsonRoute(app, routes.addApiCert, async ({ body, request }) => toWireCertificate(await addApiCert(acting(deps, request), body.certificate, body.privateKey)));
  jsonRoute(app, routes.removeApiCert, async ({ params, request }) => toWireCertificate({ certificate: await removeApiCert(acting(deps, request), params.cert), domains: [] }));
}
