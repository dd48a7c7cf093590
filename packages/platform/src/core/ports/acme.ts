/** Automatic certificates (ACME, RFC 8555): the CA client, and where their state is kept. */

/** A certificate the CA issued, as PEM. */
export interface IssuedCertificate {
  chainPem: string;
  keyPem: string;
}

/**
 * The CA client. `issue` orders a certificate for one host name with the HTTP-01 challenge (the
 * router answers it on its HTTP port) and resolves once the CA issued it; it rejects with the
 * CA's reason (or the network's) as the error message.
 */
export interface AcmeIssuer {
  readonly directory: string;
  issue(hostname: string, accountKeyPem: string): Promise<IssuedCertificate>;
}

/** One custom domain of an app with automatic certificates. */
export interface AcmeDomain {
  appId: string;
  hostname: string;
  state: 'pending' | 'issued' | 'failing';
  /** Why the last attempt failed (the CA's words), or null. */
  reason: string | null;
  /** When the next order (first, retry or renewal) is due (ISO time). */
  nextAt: string;
  /** Failed attempts in a row (the backoff's exponent). */
  failures: number;
}

export interface AcmeStore {
  /** The account key (PEM) for a CA directory URL, made once. */
  getAcmeAccountKey(directory: string): Promise<string | undefined>;
  setAcmeAccountKey(directory: string, keyPem: string): Promise<void>;
  /** Apps with automatic certificates on (app ids). */
  listAcmeApps(): Promise<string[]>;
  setAcmeApp(appId: string, enabled: boolean): Promise<void>;
  /** An app's domains, or every app's when `appId` is undefined. */
  listAcmeDomains(appId?: string): Promise<AcmeDomain[]>;
  /** Inserts or replaces the row of (appId, hostname). */
  putAcmeDomain(domain: AcmeDomain): Promise<void>;
  deleteAcmeDomains(appId: string, hostname?: string): Promise<void>;
}
