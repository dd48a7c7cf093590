import type { AcmeIssuer, IssuedCertificate } from '../core/ports/acme.js';
import type { AcmeChallenges } from '../shared-ports/acme-challenges.js';

export interface AcmeIssuerOptions {
  /** The CA's directory URL (DOZEN_ACME_DIRECTORY). */
  directory: string;
  /** The account's contact, if any (DOZEN_ACME_EMAIL). */
  email: string | null;
  /** Where HTTP-01 answers go: the router serves them on its HTTP port. */
  challenges: AcmeChallenges;
}

/**
 * The AcmeIssuer on acme-client (RFC 8555), loaded on the first order (a platform without
 * automatic certificates never loads it). One order per host name, HTTP-01 only, an ECDSA P-256
 * key per certificate. The library's own pre-check of the challenge is skipped: the CA's check is
 * the one that counts, and a host often cannot reach its own public name (hairpin NAT).
 */
export class AcmeClientIssuer implements AcmeIssuer {
  readonly directory: string;

  constructor(private readonly options: AcmeIssuerOptions) {
    this.directory = options.directory;
  }

  async issue(hostname: string, accountKeyPem: string): Promise<IssuedCertificate> {
    const acme = (await import('acme-client')).default;
    // The platform retries a failed order itself, with its own backoff (DOZEN_ACME_RETRY_SECONDS):
    // the library's retries of a CA that is down (5 over 75 s) would only hide the reason for longer.
    (acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }).acmeSettings.retryMaxAttempts = 0;
    await this.reachable();
    const client = new acme.Client({ directoryUrl: this.directory, accountKey: accountKeyPem, backoffAttempts: 6, backoffMin: 500, backoffMax: 4000 });
    const key = await acme.crypto.createPrivateEcdsaKey('P-256');
    const [, csr] = await acme.crypto.createCsr({ commonName: hostname, altNames: [hostname] }, key);
    const challenges = this.options.challenges;
    const chainPem = await this.describing(client.auto({
      csr,
      ...(this.options.email ? { email: this.options.email } : {}),
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => challenges.setChallenge(challenge.token, keyAuthorization),
      challengeRemoveFn: async (_authz, challenge) => challenges.removeChallenge(challenge.token),
    }), hostname);
    return { chainPem, keyPem: key.toString() };
  }

  /** The CA's directory answers at all: a CA that is down is said as such (the library reports it as a TypeError). */
  private async reachable(): Promise<void> {
    try {
      const response = await fetch(this.directory, { signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`the CA at ${this.directory} cannot be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
    }
  }

  private async describing<T>(order: Promise<T>, hostname: string): Promise<T> {
    try {
      return await order;
    } catch (error) {
      if (error instanceof TypeError) throw new Error(`the CA at ${this.directory} stopped answering during the order`, { cause: error });
      // acme-client's words when its polling gave up on an authorization the CA still validates.
      if (/pending or processing/.test((error as Error).message)) throw new Error(`the CA did not validate the HTTP-01 challenge in time (it is still trying: does port 80 of ${hostname} reach this router?)`, { cause: error });
      throw error;
    }
  }
}
