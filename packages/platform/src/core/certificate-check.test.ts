import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { TestCa } from '../../../../test/e2e/support/certs.js';
import { checkCertificate, coveredDomains } from './certificate-check.js';



describe('checkCertificate', () => {
  let ca: TestCa;
  let chain: string;
  let key: string;
  let leaf: string;
  const codeOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return error instanceof DozenError ? error.code : `not a DozenError: ${String(error)}`;
    }
    return 'accepted';
  };

  beforeAll(() => {
    ca = new TestCa();
    const files = ca.leaf('leaf', ['www.shop.test', '*.shop.test']);
    chain = readFileSync(files.chain, 'utf8');
    key = readFileSync(files.key, 'utf8');
    leaf = readFileSync(files.cert, 'utf8');
  });
  afterAll(() => ca.remove());

  it('reads a good chain: names, dates, fingerprint, the key as PKCS#8', () => {
    const checked = checkCertificate(chain, key, new Date());
    expect(checked.names).toEqual(['www.shop.test', '*.shop.test']);
    expect(checked.chainLength).toBe(2);
    expect(checked.issuer).toContain('Dozen Test Intermediate');
    expect(checked.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(Date.parse(checked.notAfter)).toBeGreaterThan(Date.now());
    // A leaf alone (no intermediate) is accepted: the order rule has nothing to check.
    expect(checkCertificate(leaf, key, new Date()).chainLength).toBe(1);
  });

  it('answers each bad input with its code', () => {
    const other = readFileSync(ca.leaf('other', ['www.shop.test']).key, 'utf8');
    const expired = ca.leaf('old', ['www.shop.test'], { expired: true });
    expect(codeOf(() => checkCertificate('garbage', key, new Date()))).toBe('CERT_INVALID');
    expect(codeOf(() => checkCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', key, new Date()))).toBe('CERT_INVALID');
    expect(codeOf(() => checkCertificate(chain, 'garbage', new Date()))).toBe('CERT_KEY_INVALID');
    expect(codeOf(() => checkCertificate(chain, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', new Date()))).toBe('CERT_KEY_INVALID');
    expect(codeOf(() => checkCertificate(chain, readFileSync(ca.encrypted(ca.path('leaf.key')), 'utf8'), new Date()))).toBe('CERT_KEY_ENCRYPTED');
    expect(codeOf(() => checkCertificate(chain, other, new Date()))).toBe('CERT_KEY_MISMATCH');
    expect(codeOf(() => checkCertificate(ca.intermediatePem + leaf, key, new Date()))).toBe('CERT_CHAIN_ORDER');
    expect(codeOf(() => checkCertificate(leaf + ca.rootPem, key, new Date()))).toBe('CERT_CHAIN_ORDER');
    expect(codeOf(() => checkCertificate(readFileSync(expired.chain, 'utf8'), readFileSync(expired.key, 'utf8'), new Date()))).toBe('CERT_EXPIRED');
    expect(codeOf(() => checkCertificate(chain, key, new Date('2000-01-01T00:00:00Z')))).toBe('CERT_NOT_YET_VALID');
    expect(codeOf(() => checkCertificate('A'.repeat(1024 * 1024 + 1), key, new Date()))).toBe('CERT_TOO_LARGE');
  });
});

describe('coveredDomains', () => {
  it('exact names, and a wildcard name for one label down (and for the same wildcard domain)', () => {
    expect(coveredDomains(['www.shop.test', '*.shop.test'], ['www.shop.test', 'a.shop.test', 'a.b.shop.test', 'shop.test', '*.shop.test', 'blog.test'])).toEqual(['www.shop.test', 'a.shop.test', '*.shop.test']);
    expect(coveredDomains(['a.shop.test'], ['*.shop.test'])).toEqual([]);
  });
});
