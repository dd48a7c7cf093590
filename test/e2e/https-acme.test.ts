import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaddyCa, HostsLines } from './support/acme-ca.js';
import { startLoad } from './support/load.js';
import { eventually, TestPlatform } from './support/platform.js';
import { httpsGet } from './support/tls-client.js';

const SHOP = 'shop.dozen.test';
/** DOZEN_API_DOMAIN (not https-api.test.ts's name: two runs on one host would fight over /etc/hosts): its certificate is ordered at start, with no command. */
const API = 'platform.dozen.test';
/** The router answers HTTP-01 on port 80 of this address, which the test's names resolve to. */
const ADDRESS = '127.0.0.77';

interface AcmStatus {
  enabled: boolean;
  domains: { hostname: string; state: string; reason: string | null; nextAt: string; failures: number }[];
}

/**
 * Issue 14 acceptance 1: certs:auto:enable obtains a certificate from a real ACME CA (caddy's
 * acme_server, offline) within seconds; curl trusts it with the CA's root; a renewal under HTTPS
 * load fails no request; a CA that is down leaves the old certificate serving and says why.
 */
describe('HTTPS: automatic certificates from a local ACME CA', () => {
  let ca: CaddyCa;
  let hosts: HostsLines;
  let platform: TestPlatform;
  const ok = (args: string[]) => platform.ok(args);
  const status = async () => JSON.parse((await ok(['certs:auto', '-a', 'shop', '--json'])).stdout) as AcmStatus;
  const get = (path = '/') => httpsGet(platform.routerHttpsPort, SHOP, path, ca.rootPem, { address: ADDRESS });

  beforeAll(async () => {
    ca = new CaddyCa('acme.dozen.test');
    // refused.dozen.test points where nothing answers port 80: the CA's HTTP-01 check fails.
    hosts = new HostsLines([[ADDRESS, SHOP], [ADDRESS, API], ['127.0.0.1', 'acme.dozen.test'], ['127.0.0.78', 'refused.dozen.test']]);
    hosts.add();
    await ca.start();
    platform = await TestPlatform.start({
      DOZEN_LISTEN_HOST: ADDRESS,
      DOZEN_ROUTER_PORT: '80',
      DOZEN_ACME_DIRECTORY: ca.directory,
      DOZEN_ACME_RETRY_SECONDS: '1',
      DOZEN_API_DOMAIN: API,
      NODE_EXTRA_CA_CERTS: ca.rootFile,
    });
    await ok(['apps:create', 'shop']);
    await ok(['deploy', 'examples/node-probe', '-a', 'shop']);
    await ok(['domains:add', SHOP, '-a', 'shop']);
  });
  afterAll(async () => {
    await platform?.destroy();
    await ca?.destroy();
    hosts?.remove();
  });

  it('certs:auto:enable gets a certificate from the CA within seconds; curl with the CA root reaches the app', async () => {
    const enabled = await ok(['certs:auto:enable', '-a', 'shop']);
    expect(enabled.stdout).toContain('Automatic certificates enabled for shop');
    const issued = await eventually(async () => {
      const now = await status();
      expect(now.domains.map((d) => [d.hostname, d.state, d.reason])).toEqual([[SHOP, 'issued', null]]);
      return now;
    }, 20_000, 200);
    expect(issued.enabled).toBe(true);
    const response = await get('/');
    expect(response.status).toBe(200);
    const curl = execFileSync('curl', ['-sS', '--cacert', ca.rootFile, `https://${SHOP}:${platform.routerHttpsPort}/`], { encoding: 'utf8' });
    expect(JSON.parse(curl)).toMatchObject({ release: 'v1' });
    const issuer = execFileSync('sh', ['-c', 'echo | openssl s_client -connect "$0" -servername "$1" 2>/dev/null | openssl x509 -noout -issuer -dates', `${ADDRESS}:${platform.routerHttpsPort}`, SHOP], { encoding: 'utf8' });
    expect(issuer).toContain('Caddy Local Authority');
    // Renewal is due when a third of the lifetime is left.
    const notBefore = Date.parse(/notBefore=(.*)/.exec(issuer)?.[1] ?? '');
    const notAfter = Date.parse(/notAfter=(.*)/.exec(issuer)?.[1] ?? '');
    expect(Math.abs(Date.parse(issued.domains[0]?.nextAt ?? '') - (notAfter - (notAfter - notBefore) / 3))).toBeLessThan(60_000);
    const list = (await ok(['certs', '-a', 'shop'])).stdout;
    expect(list).toContain(`auto-${SHOP}`);
  });

  it('the API domain gets its certificate from the CA by itself, and the API answers over it', async () => {
    const api = await eventually(async () => {
      const now = JSON.parse((await ok(['certs', '--api', '--json'])).stdout) as { domain: string; certificates: { source: string }[]; auto: AcmStatus };
      expect(now.auto.domains.map((d) => [d.hostname, d.state])).toEqual([[API, 'issued']]);
      return now;
    }, 20_000, 200);
    expect(api.auto.enabled).toBe(true);
    expect(api.certificates.map((c) => c.source)).toEqual(['acme']);
    const health = await httpsGet(platform.routerHttpsPort, API, '/healthz', ca.rootPem, { address: ADDRESS });
    expect(health.status, health.body).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  });

  it('a renewal under HTTPS load replaces the certificate with 0 failed requests', async () => {
    const before = (await get('/')).fingerprint;
    const load = startLoad(platform.routerHttpsPort, SHOP, 4, { tls: { ca: ca.rootPem }, address: ADDRESS });
    const handshakes = startLoad(platform.routerHttpsPort, SHOP, 1, { keepAlive: false, tls: { ca: ca.rootPem }, address: ADDRESS });
    await new Promise((r) => setTimeout(r, 500));
    await ok(['certs:auto:refresh', '-a', 'shop']);
    await eventually(async () => expect((await get('/')).fingerprint).not.toBe(before), 20_000, 200);
    await new Promise((r) => setTimeout(r, 500));
    const result = await load.stop();
    const fresh = await handshakes.stop();
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    expect(fresh.samples).toEqual([]);
    expect(fresh.requests).toBeGreaterThan(5);
    expect((await status()).domains[0]).toMatchObject({ state: 'issued', failures: 0 });
    expect((await ok(['logs', '-n', '50', '-s', 'dozen', '-a', 'shop'])).stdout).toMatch(new RegExp(`Certificate for ${SHOP.replace(/\./g, '\\.')} renewed by the CA`));
  });

  it('a CA that is down: the old certificate keeps serving and the state says why; a wildcard says it needs DNS-01', async () => {
    const serving = (await get('/')).fingerprint;
    await ca.stop();
    await ok(['certs:auto:refresh', '-a', 'shop']);
    const failing = await eventually(async () => {
      const now = await status();
      expect(now.domains[0]?.state).toBe('failing');
      return now;
    }, 20_000, 200);
    expect(failing.domains[0]?.reason).toMatch(/ECONNREFUSED|connect/);
    expect(failing.domains[0]?.failures).toBeGreaterThanOrEqual(1);
    expect((await ok(['certs:auto', '-a', 'shop'])).stdout).toMatch(/failing: .*(ECONNREFUSED|connect)/);
    const still = await get('/');
    expect(still.status).toBe(200);
    expect(still.fingerprint).toBe(serving);
    await ok(['domains:add', '*.wild.dozen.test', '-a', 'shop']);
    const wildcard = (await status()).domains.find((d) => d.hostname === '*.wild.dozen.test');
    expect(wildcard).toMatchObject({ state: 'failing' });
    expect(wildcard?.reason).toContain('DNS-01');
    // Back up: the retry (backoff from 1 s here) issues again without being asked.
    await ca.start();
    await eventually(async () => expect((await status()).domains.find((d) => d.hostname === SHOP)?.state).toBe('issued'), 30_000, 250);
    // A CA that refuses: its reason is the state's.
    await ok(['domains:add', 'refused.dozen.test', '-a', 'shop']);
    const refused = await eventually(async () => {
      const row = (await status()).domains.find((d) => d.hostname === 'refused.dozen.test');
      expect(row?.state).toBe('failing');
      return row;
    }, 60_000, 250);
    expect(refused?.reason).toMatch(/HTTP-01|urn:ietf:params:acme:error/);
    // The one that is served is not touched by its neighbour's failure.
    expect((await status()).domains.find((d) => d.hostname === SHOP)?.state).toBe('issued');
    await ok(['certs:auto:disable', '-a', 'shop']);
    expect((await status()).enabled).toBe(false);
    expect((await ok(['certs', '-a', 'shop'])).stdout).toContain('has no certificates');
  });
});
