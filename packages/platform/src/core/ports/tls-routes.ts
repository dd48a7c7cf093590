/** Certificates and HTTPS policies, as the router sees them. */

/** A certificate the router serves for some of an app's custom domains. */
export interface ServedCertificate {
  /** The app's custom domains it covers (exact, or `*.example.com`). */
  hostnames: string[];
  /** The leaf first, then its intermediates (PEM). */
  chainPem: string;
  keyPem: string;
  /** ISO time; where two certificates cover a name, the one valid longer wins. */
  notAfter: string;
}

/** What the router does with an app's plain HTTP requests and HTTPS responses. */
export interface HttpsPolicy {
  /** Plain HTTP requests get a 308 to https:// (same path and query). */
  redirect: boolean;
  /** Strict-Transport-Security max-age in seconds on HTTPS responses, or null for none. */
  hstsMaxAge: number | null;
}

/** The router's TLS side (its SNI table and policies). Fed at start and on every change. */
export interface TlsRoutes {
  /** Replaces the certificates served for `app` (an empty list removes them all). */
  setCertificates(app: string, certificates: ServedCertificate[]): void;
  /** Replaces `app`'s policy; null is the default (plain HTTP served, no HSTS). */
  setHttpsPolicy(app: string, policy: HttpsPolicy | null): void;
}
