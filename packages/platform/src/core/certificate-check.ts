import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { CertificateContents } from './ports/certificates-store.js';

/** A chain or key longer than this is refused (CERT_TOO_LARGE). */
export const MAX_PEM_BYTES = 1024 * 1024;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Checks a certificate chain and its private key the way a TLS client will judge them: PEM that
 * parses, an unencrypted key that matches the leaf, each certificate signed by the next, valid now.
 * Which domains it covers is the caller's question (`coveredDomains`).
 */
export function checkCertificate(chainText: string, keyText: string, now: Date): CertificateContents {
  for (const [what, text] of [['certificate chain', chainText], ['private key', keyText]] as const) {
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_PEM_BYTES) throw new DozenError('CERT_TOO_LARGE', `The ${what} is ${bytes} bytes, over the limit of ${MAX_PEM_BYTES} bytes (1 MB).`);
  }
  const chain = parseChain(chainText);
  const key = parseKey(keyText);
  const leaf = chain[0] as X509Certificate;
  if (!leaf.checkPrivateKey(key)) {
    const matching = chain.findIndex((c) => c.checkPrivateKey(key));
    if (matching > 0) throw new DozenError('CERT_CHAIN_ORDER', `The private key matches certificate ${matching + 1} of the chain (${leaf.subject.replace(/\n/g, ', ')} comes first): the leaf must come first.`);
    throw new DozenError('CERT_KEY_MISMATCH', `The private key does not match the certificate for ${describe(leaf)}.`);
  }
  checkOrder(chain);
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() <= now.getTime()) throw new DozenError('CERT_EXPIRED', `The certificate for ${describe(leaf)} expired on ${notAfter.toISOString()}.`);
  if (notBefore.getTime() > now.getTime()) throw new DozenError('CERT_NOT_YET_VALID', `The certificate for ${describe(leaf)} is valid from ${notBefore.toISOString()} only.`);
  return {
    chainPem: `${chain.map((c) => c.toString().trim()).join('\n')}\n`,
    keyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    names: namesOf(leaf),
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    fingerprint: leaf.fingerprint256,
    chainLength: chain.length,
  };
}

/** The custom domains (exact or `*.x`) a certificate with these names serves. */
export function coveredDomains(names: string[], domains: string[]): string[] {
  return domains.filter((domain) => names.some((name) => covers(name, domain)));
}

/** `name` (from a certificate) covers `domain`: equal, or a wildcard one label down (`*.a.com` covers `b.a.com` and `*.a.com`). */
function covers(name: string, domain: string): boolean {
  if (name === domain) return true;
  if (!name.startsWith('*.') || domain.startsWith('*.')) return false;
  const dot = domain.indexOf('.');
  return dot > 0 && domain.slice(dot + 1) === name.slice(2);
}

function parseChain(text: string): X509Certificate[] {
  const blocks = text.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw new DozenError('CERT_INVALID', `The certificate file holds no PEM certificate (no -----BEGIN CERTIFICATE----- block${text.length === 0 ? ', it is empty' : ''}).`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new DozenError('CERT_INVALID', `Certificate ${i + 1} of the chain is not a valid X.509 certificate: ${(error as Error).message}.`);
    }
  });
}

function parseKey(text: string): KeyObject {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text)) throw new DozenError('CERT_KEY_ENCRYPTED', 'The private key is encrypted with a passphrase.');
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text)) throw new DozenError('CERT_KEY_INVALID', 'The key file holds no PEM private key (no -----BEGIN PRIVATE KEY----- block).');
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new DozenError('CERT_KEY_INVALID', `The private key cannot be read: ${(error as Error).message}.`);
  }
}

/** Each certificate is issued (and signed) by the next one. */
function checkOrder(chain: X509Certificate[]): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i] as X509Certificate;
    const parent = chain[i + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new DozenError('CERT_CHAIN_ORDER', `Certificate ${i + 2} of the chain (${parent.subject.replace(/\n/g, ', ')}) did not issue certificate ${i + 1} (${child.subject.replace(/\n/g, ', ')}).`);
    }
  }
}

function namesOf(leaf: X509Certificate): string[] {
  const san = (leaf.subjectAltName ?? '').split(/,\s*/).filter((entry) => entry.startsWith('DNS:')).map((entry) => entry.slice(4).toLowerCase());
  if (san.length > 0) return [...new Set(san)];
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

function describe(leaf: X509Certificate): string {
  const names = namesOf(leaf);
  return names.length > 0 ? names.join(', ') : leaf.subject.replace(/\n/g, ', ');
}
