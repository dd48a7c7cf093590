import { createSecureContext, type SecureContext } from 'node:tls';
import type { HttpsPolicy, ServedCertificate, TlsRoutes } from '../core/ports/tls-routes.js';
import type { AcmeChallenges } from '../shared-ports/acme-challenges.js';
import { normalizeHost } from './host-table.js';

/** Mozilla's "intermediate" TLS 1.2 suites (forward secret AEADs only); TLS 1.3 keeps OpenSSL's. */
export const TLS_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

interface Entry {
  context: SecureContext;
  notAfter: string;
}

/** A policy as the hot path uses it: the HSTS header line made once. */
export interface RoutePolicy {
  redirect: boolean;
  /** `Strict-Transport-Security: max-age=N\r\n`, or ''. */
  hsts: string;
}

/**
 * The router's certificates by SNI name (exact, or a `*.example.com` wildcard one label down) and
 * the HTTPS policy of each app. A secure context is made once per certificate, when it is set, so a
 * handshake is one map lookup; replaced contexts serve new handshakes only, open connections keep theirs.
 */
export class TlsTable implements TlsRoutes, AcmeChallenges {
  private readonly exact = new Map<string, Entry>();
  private readonly wildcard = new Map<string, Entry>();
  private readonly byApp = new Map<string, string[]>();
  private readonly policies = new Map<string, RoutePolicy>();
  /** HTTP-01 answers by token; the plain HTTP path looks only while one is pending. */
  readonly challenges = new Map<string, string>();

  constructor(private readonly onError: (app: string, message: string) => void = () => undefined) {}

  setCertificates(app: string, certificates: ServedCertificate[]): void {
    const next = new Map<string, Entry>();
    for (const certificate of certificates) {
      let context: SecureContext;
      try {
        context = createSecureContext({ cert: certificate.chainPem, key: certificate.keyPem, minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS });
      } catch (error) {
        this.onError(app, `a certificate for ${certificate.hostnames.join(', ')} cannot be served: ${(error as Error).message}`);
        continue;
      }
      for (const name of certificate.hostnames) {
        const held = next.get(name);
        if (held === undefined || held.notAfter < certificate.notAfter) next.set(name, { context, notAfter: certificate.notAfter });
      }
    }
    for (const old of this.byApp.get(app) ?? []) this.mapFor(old).delete(keyOf(old));
    if (next.size === 0) this.byApp.delete(app);
    else this.byApp.set(app, [...next.keys()]);
    for (const [name, entry] of next) this.mapFor(name).set(keyOf(name), entry);
  }

  setHttpsPolicy(app: string, policy: HttpsPolicy | null): void {
    if (policy === null || (!policy.redirect && policy.hstsMaxAge === null)) this.policies.delete(app);
    else this.policies.set(app, { redirect: policy.redirect, hsts: policy.hstsMaxAge === null ? '' : `Strict-Transport-Security: max-age=${policy.hstsMaxAge}\r\n` });
  }

  /** The context for a ClientHello's server name, or undefined (the handshake then fails with an alert). */
  context(servername: string): SecureContext | undefined {
    const name = normalizeHost(servername);
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact.context;
    const dot = name.indexOf('.');
    return dot > 0 ? this.wildcard.get(name.slice(dot + 1))?.context : undefined;
  }

  /** The app's policy, or undefined for the default (the common case: one failed lookup). */
  policy(app: string): RoutePolicy | undefined {
    return this.policies.get(app);
  }

  setChallenge(token: string, keyAuthorization: string): void {
    this.challenges.set(token, keyAuthorization);
  }

  removeChallenge(token: string): void {
    this.challenges.delete(token);
  }

  private mapFor(name: string): Map<string, Entry> {
    return name.startsWith('*.') ? this.wildcard : this.exact;
  }
}

function keyOf(name: string): string {
  return name.startsWith('*.') ? name.slice(2) : name;
}
