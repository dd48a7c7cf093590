/** Certificates and HTTPS settings of apps. */

/** What a checked certificate upload is (core/certificate-check.ts reads it from the PEM). */
export interface CertificateContents {
  /** The chain as PEM, leaf first, one block after the other. */
  chainPem: string;
  /** The private key (PKCS#8 PEM). */
  keyPem: string;
  /** The names the leaf is for (DNS subject alternative names, else the common name), lowercase. */
  names: string[];
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the leaf, `AB:CD:...`. */
  fingerprint: string;
  chainLength: number;
}

/** A certificate as stored (the private key in its own column, sealed by the store). */
export interface StoredCertificate extends CertificateContents {
  id: string;
  appId: string;
  /** Unique per app: `<app>-<n>` (what --name takes). */
  name: string;
  /** `manual` (certs:add) or `acme` (certs:auto:enable; one per domain, renewed by the platform). */
  source: 'manual' | 'acme';
  createdAt: string;
  updatedAt: string;
}

/** An app's HTTPS settings; an app without a row has the default (`http`, no HSTS). */
export interface HttpsSettings {
  mode: 'http' | 'redirect';
  /** Strict-Transport-Security max-age in seconds, or null for no header. */
  hstsMaxAge: number | null;
}

export interface CertificatesStore {
  insertCertificate(certificate: StoredCertificate): Promise<void>;
  /** Replaces the chain, key and what was read from them (same id and name). */
  updateCertificate(certificate: StoredCertificate): Promise<void>;
  /** An app's certificates by name, or every certificate when `appId` is undefined. */
  listCertificates(appId?: string): Promise<StoredCertificate[]>;
  deleteCertificate(certificateId: string): Promise<void>;
  getHttpsSettings(appId: string): Promise<HttpsSettings | undefined>;
  setHttpsSettings(appId: string, settings: HttpsSettings): Promise<void>;
  /** Every app's settings that are set, by app id. */
  listHttpsSettings(): Promise<Map<string, HttpsSettings>>;
}
