import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCa } from './support/certs.js';
import { filesContaining } from './support/data-dir-files.js';
import { eventually, httpGet, httpRequest, TestPlatform } from './support/platform.js';
import { handshake, httpsGet, rawExchange } from './support/tls-client.js';

const SHOP = 'shop.dozen.test';

/** Issue 14 acceptance 2 and 3: manual certificates, every bad input with its code, redirect mode and HSTS. */
describe('HTTPS: manual certificates, bad input, redirects and HSTS through the real platform', () => {
  let platform: TestPlatform;
  let ca: TestCa;
  let shop: { cert: string; key: string; chain: string };
  const ok = (args: string[]) => platform.ok(args);
  const fingerprintOf = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;
  const get = (path = '/', host = SHOP, options: Parameters<typeof httpsGet>[4] = {}) => httpsGet(platform.routerHttpsPort, host, path, ca.rootPem, options);

  beforeAll(async () => {
    ca = new TestCa();
    shop = ca.leaf('shop', [SHOP, 'www.dozen.test']);
    platform = await TestPlatform.start();
    await ok(['apps:create', 'probe']);
    await ok(['deploy', 'examples/node-probe', '-a', 'probe']);
    await ok(['domains:add', SHOP, '-a', 'probe']);
    await ok(['domains:add', '*.wild.dozen.test', '-a', 'probe']);
  });
  afterAll(async () => {
    await platform?.destroy();
    ca?.remove();
  });

  it('refuses every bad certificate upload with its own code, and serves nothing meanwhile', async () => {
    const other = ca.leaf('other', [SHOP]);
    const elsewhere = ca.leaf('elsewhere', ['api.example.org']);
    const expired = ca.leaf('expired', [SHOP], { expired: true });
    const add = (cert: string, key: string, code: string) => platform.fails(['certs:add', cert, key, '-a', 'probe'], code);
    await add(ca.write('garbage.pem', 'this is not a certificate\n'), shop.key, 'CERT_INVALID');
    await add(ca.write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), shop.key, 'CERT_INVALID');
    await add(shop.chain, ca.write('garbage.key', 'no key here\n'), 'CERT_KEY_INVALID');
    await add(shop.chain, other.key, 'CERT_KEY_MISMATCH');
    await add(expired.chain, expired.key, 'CERT_EXPIRED');
    // The intermediate first, then the leaf.
    await add(ca.write('reversed.pem', ca.intermediatePem + ca.read('shop.crt')), shop.key, 'CERT_CHAIN_ORDER');
    // A leaf, then a certificate that did not issue it (the root skips the intermediate).
    await add(ca.write('gap.pem', ca.read('shop.crt') + ca.rootPem), shop.key, 'CERT_CHAIN_ORDER');
    const uncovered = await add(elsewhere.chain, elsewhere.key, 'CERT_DOMAINS_NOT_COVERED');
    expect(uncovered.stderr).toContain('api.example.org');
    expect(uncovered.stderr).toContain(SHOP);
    await add(shop.chain, ca.encrypted(shop.key), 'CERT_KEY_ENCRYPTED');
    await add(ca.write('huge.pem', Buffer.alloc(5 * 1024 * 1024, 'A')), shop.key, 'CERT_TOO_LARGE');
    // The same 5 MB straight to the API is the body limit's PAYLOAD_TOO_LARGE (api/domains.test.ts).
    expect((await ok(['certs', '-a', 'probe'])).stdout).toContain('has no certificates');
    expect(await handshake(platform.routerHttpsPort, SHOP, ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('certs:add serves the domain at once over TLS 1.2+ with ALPN http/1.1, tells the app https and its port, and logs protocol=https', async () => {
    const added = await ok(['certs:add', shop.chain, shop.key, '-a', 'probe']);
    expect(added.stdout).toContain(`HTTPS is served now for ${SHOP}`);
    // The private key is sealed in the store (issue 13): no file of the data dir holds it, nor the audit trail.
    const keyLine = readFileSync(shop.key, 'utf8').split('\n')[1] as string;
    expect(keyLine.length).toBeGreaterThan(40);
    expect(filesContaining(platform.dataDir, keyLine)).toEqual([]);
    expect((await ok(['audit', '-a', 'probe', '--json'])).stdout).not.toContain(keyLine);
    expect(added.stdout).not.toContain('www.dozen.test is');
    const response = await get('/headers?via=tls');
    expect(response.status, response.body).toBe(200);
    expect(response.fingerprint).toBe(fingerprintOf(shop.cert));
    expect(response.alpn).toBe('http/1.1');
    expect(['TLSv1.2', 'TLSv1.3']).toContain(response.tlsVersion);
    const seen = JSON.parse(response.body) as { headers: Record<string, string> };
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers['x-forwarded-port']).toBe(String(platform.routerHttpsPort));
    // TLS 1.1 and older are refused; 1.2 alone is enough.
    expect(await handshake(platform.routerHttpsPort, SHOP, ca.rootPem, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).not.toBe('ok');
    expect(await handshake(platform.routerHttpsPort, SHOP, ca.rootPem, { maxVersion: 'TLSv1.2' })).toBe('ok');
    const logs = await eventually(async () => {
      const out = (await ok(['logs', '-n', '200', '-a', 'probe'])).stdout;
      expect(out).toContain('path="/headers?via=tls"');
      return out;
    });
    expect(logs).toMatch(/router\]: at=info method=GET path="\/headers\?via=tls" host=shop\.dozen\.test .* status=200 .* protocol=https/);
    const list = (await ok(['certs', '-a', 'probe'])).stdout;
    expect(list).toContain('probe-1');
    expect(list).toContain(SHOP);
    const info = JSON.parse((await ok(['certs:info', '-a', 'probe', '--json'])).stdout) as { domains: string[]; names: string[]; fingerprint: string; chainLength: number };
    expect(info).toMatchObject({ domains: [SHOP], names: [SHOP, 'www.dozen.test'], fingerprint: fingerprintOf(shop.cert), chainLength: 2 });
    expect(JSON.stringify(info)).not.toContain('PRIVATE KEY');
  });

  it('a wildcard domain with a wildcard certificate; an unknown name gets a handshake alert and nothing else breaks', async () => {
    const wild = ca.leaf('wild', ['*.wild.dozen.test']);
    await ok(['certs:add', wild.chain, wild.key, '-a', 'probe']);
    const response = await get('/', 'eu.wild.dozen.test');
    expect(response.status).toBe(200);
    expect(response.fingerprint).toBe(fingerprintOf(wild.cert));
    expect(await handshake(platform.routerHttpsPort, 'unknown.dozen.test', ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect(await handshake(platform.routerHttpsPort, '', ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    expect((await get('/')).status).toBe(200);
    await platform.fails(['certs:info', '-a', 'probe'], 'CERT_NAME_REQUIRED');
    await ok(['certs:remove', '--name', 'probe-2', '-a', 'probe']);
    expect(await handshake(platform.routerHttpsPort, 'eu.wild.dozen.test', ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('plain HTTP sent to the HTTPS port gets a 400 in plain text, like nginx', async () => {
    const answer = await rawExchange(platform.routerHttpsPort, `GET / HTTP/1.1\r\nHost: ${SHOP}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('Content-Type: text/plain');
    expect(answer).toContain('The plain HTTP request was sent to the HTTPS port (PLAIN_HTTP_TO_HTTPS_PORT)');
    expect((await get('/')).status).toBe(200);
  });

  it('certs:update swaps the certificate: an open connection keeps working, the next handshake gets the new one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get('/', SHOP, { agent });
    expect(before.fingerprint).toBe(fingerprintOf(shop.cert));
    const renewed = ca.leaf('renewed', [SHOP]);
    await ok(['certs:update', renewed.chain, renewed.key, '-a', 'probe']);
    const sameConnection = await get('/', SHOP, { agent });
    expect(sameConnection.status).toBe(200);
    expect(sameConnection.fingerprint).toBe(fingerprintOf(shop.cert));
    agent.destroy();
    const fresh = await get('/');
    expect(fresh.status).toBe(200);
    expect(fresh.fingerprint).toBe(fingerprintOf(renewed.cert));
    shop = renewed;
  });

  it('redirect mode: plain HTTP gets a 308 to https:// with the same path and query; HSTS on HTTPS responses; never for *.localhost', async () => {
    const set = await ok(['https:set', '--mode', 'redirect', '--hsts', '31536000', '-a', 'probe']);
    expect(set.stdout).toContain('Mode: redirect');
    const redirected = await httpGet(platform.routerPort, SHOP, '/a/b?x=1&y=%20two');
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe(`https://${SHOP}:${platform.routerHttpsPort}/a/b?x=1&y=%20two`);
    expect((await httpRequest(platform.routerPort, SHOP, 'POST', '/form', { a: 1 })).status).toBe(308);
    const local = await httpGet(platform.routerPort, 'probe.localhost', '/');
    expect(local.status).toBe(200);
    expect(local.headers['strict-transport-security']).toBeUndefined();
    const secure = await get('/');
    expect(secure.status).toBe(200);
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000');
    await platform.fails(['https:set', '--mode', 'sometimes', '-a', 'probe'], 'HTTPS_SETTINGS_INVALID');
    await platform.fails(['https:set', '--hsts', '-5', '-a', 'probe'], 'HTTPS_SETTINGS_INVALID');
    await platform.fails(['https:set', '--hsts', '999999999', '-a', 'probe'], 'HTTPS_SETTINGS_INVALID');
  });

  it('after a restart the certificates and HTTPS settings are loaded again; then http mode serves plain HTTP without HSTS', async () => {
    platform = await platform.restart();
    // The certificate is served as soon as the platform is up; the app's process takes a moment.
    expect((await get('/')).fingerprint).toBe(fingerprintOf(shop.cert));
    const secure = await eventually(async () => {
      const response = await get('/');
      expect(response.status).toBe(200);
      return response;
    });
    expect(secure.fingerprint).toBe(fingerprintOf(shop.cert));
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await httpGet(platform.routerPort, SHOP, '/')).status).toBe(308);
    expect((await ok(['https', '-a', 'probe'])).stdout).toContain('HSTS: max-age=31536000');
    await ok(['https:set', '--mode', 'http', '--hsts', 'off', '-a', 'probe']);
    const plain = await httpGet(platform.routerPort, SHOP, '/');
    expect(plain.status).toBe(200);
    expect((await get('/')).headers['strict-transport-security']).toBeUndefined();
    // A removed domain is no longer served, though the certificate still names it.
    await ok(['domains:remove', SHOP, '-a', 'probe']);
    expect(await handshake(platform.routerHttpsPort, SHOP, ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    await ok(['domains:add', SHOP, '-a', 'probe']);
    expect((await get('/')).status).toBe(200);
    await ok(['certs:remove', '-a', 'probe']);
    expect(await handshake(platform.routerHttpsPort, SHOP, ca.rootPem)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });
});
