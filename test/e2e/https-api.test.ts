import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostsLines } from './support/acme-ca.js';
import { TestCa } from './support/certs.js';
import { DOZEN_BIN, exampleRepo, type Git } from './support/git.js';
import { eventually, httpGet, ROOT, TestPlatform, type CliOptions } from './support/platform.js';
import { httpsGet } from './support/tls-client.js';

const API = 'api.dozen.test';
/** A client address other than the router's own: the API must see it, not 127.0.0.1. */
const CLIENT = '127.0.0.9';
/** The router's idle timeout in this test; the run WebSocket is pinged more often than that. */
const IDLE_SECONDS = 10;

interface AuditEvent {
  action: string;
  app: string | null;
  remoteAddress: string;
}

/**
 * Issue 14, the API over HTTPS: with DOZEN_API_DOMAIN the router serves the platform's API at that
 * name with the certificate the admin added; a laptop's CLI (login, deploy, logs -t, run) and git
 * push reach it over https:// trusting a private CA through NODE_EXTRA_CA_CERTS and GIT_SSL_CAINFO;
 * the audit trail has the client's address (from the router's X-Forwarded-For, never the client's);
 * plain HTTP to the API domain gets a 308 to https://.
 */
describe('the API and git over HTTPS through the router (DOZEN_API_DOMAIN)', () => {
  let platform: TestPlatform;
  let ca: TestCa;
  let hosts: HostsLines;
  let apiUrl = '';
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-api-'));
  const rootFile = () => join(ca.dir, 'root.crt');
  /** The CLI as on a laptop: no data dir to read a token from, its own config, the API over https://. */
  const laptop = (who: string, extra: Record<string, string> = {}): CliOptions => ({
    env: { DOZEN_API_URL: apiUrl, NODE_EXTRA_CA_CERTS: rootFile(), XDG_CONFIG_HOME: join(scratch, who), DOZEN_DATA_DIR: join(scratch, 'no-data-dir'), ...extra },
  });
  const remote = (args: string[], who = 'admin') => platform.ok(args, laptop(who));

  beforeAll(async () => {
    mkdirSync(join(scratch, 'no-data-dir'));
    ca = new TestCa();
    hosts = new HostsLines([['127.0.0.1', API]]);
    hosts.add();
    // A certificate added by the admin; no ACME order (its default CA is Let's Encrypt, out of reach).
    // A short router idle timeout (H15): a quiet `run` must outlive it.
    platform = await TestPlatform.start({ DOZEN_API_DOMAIN: API, DOZEN_ACME_DIRECTORY: 'off', DOZEN_ROUTER_IDLE_TIMEOUT: String(IDLE_SECONDS) });
    apiUrl = `https://${API}:${platform.routerHttpsPort}`;
  });
  afterAll(async () => {
    await platform?.destroy();
    ca?.remove();
    hosts?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('certs:add --api (an admin) serves the API domain at once; a certificate for other names is refused', async () => {
    const other = ca.leaf('other', ['shop.dozen.test']);
    const refused = await platform.fails(['certs:add', other.chain, other.key, '--api'], 'CERT_DOMAINS_NOT_COVERED');
    expect(refused.stderr).toContain(API);
    const api = ca.leaf('api', [API]);
    expect((await platform.ok(['certs:add', api.chain, api.key, '--api'])).stdout).toContain(`HTTPS is served now for ${API}`);
    expect((await platform.ok(['certs', '--api'])).stdout).toContain(`API domain: ${API}`);
    const health = await httpsGet(platform.routerHttpsPort, API, '/healthz', ca.rootPem);
    expect(health.status, health.body).toBe(200);
    expect(health.fingerprint).toBe(new X509Certificate(readFileSync(api.cert)).fingerprint256);
  });

  it('dozen login over https:// with email and password, and with --token', async () => {
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    expect((await remote(['login', '--token', token])).stdout).toContain(`Logged in to ${apiUrl}`);
    // Made through the router, the setup link is the public https:// one (X-Forwarded-Proto and -Host believed from it).
    const added = await remote(['users:add', 'ada@example.com']);
    const code = /^ {2}(\S+)$/m.exec(added.stdout)?.[1] ?? '';
    expect(added.stdout).toContain(`at ${apiUrl}/setup#${code}`);
    const password = { DOZEN_PASSWORD: 'correct horse battery' };
    expect((await platform.ok(['login', '--setup', code], laptop('ada', password))).stdout).toContain(`Logged in to ${apiUrl} as ada@example.com`);
    expect((await platform.ok(['login', '--email', 'ada@example.com'], laptop('ada2', password))).stdout).toContain(`Logged in to ${apiUrl} as ada@example.com`);
    expect((await remote(['whoami'], 'ada2')).stdout).toContain('ada@example.com');
    // Without the private CA's root, Node refuses the certificate, and the CLI says what to do.
    const untrusted = await platform.fails(['apps'], 'API_CERT_UNTRUSTED', laptop('admin', { NODE_EXTRA_CA_CERTS: '' }));
    expect(untrusted.stderr).toContain('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(untrusted.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('deploy, logs -t and one-off runs (one quiet for longer than the idle timeout) through the API domain', async () => {
    await remote(['apps:create', 'web']);
    await platform.fails(['domains:add', API, '-a', 'web'], 'DOMAIN_TAKEN');
    expect((await remote(['deploy', join(ROOT, 'examples/node-probe'), '-a', 'web'])).stdout).toContain('Released v1');
    const tail = spawn(process.execPath, [DOZEN_BIN, 'logs', '-t', '-a', 'web'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...laptop('admin').env } });
    let tailed = '';
    tail.stdout.on('data', (chunk: Buffer) => (tailed += chunk.toString()));
    try {
      await eventually(async () => {
        expect((await platform.http('web', '/headers?tail=over-tls')).status).toBe(200);
        expect(tailed).toContain('path="/headers?tail=over-tls"');
      }, 20_000, 300);
    } finally {
      tail.kill();
    }
    const run = await remote(['run', '-a', 'web', '--', 'node', '-e', "console.log(['run', 'over', 'tls'].join('-'))"]);
    expect(run.stdout).toContain('run-over-tls');
    // Quiet for longer than the router's idle timeout: the platform's pings keep the session.
    const quiet = await remote(['run', '-a', 'web', '--', 'node', '-e', `setTimeout(() => console.log(['still', 'here'].join('-')), ${(IDLE_SECONDS + 3) * 1000})`]);
    expect(quiet.stdout).toContain('still-here');
  });

  it('git push over https:// through git:remote and the credential helper', async () => {
    const repo = join(scratch, 'repo');
    const git: Git = await exampleRepo(platform, repo);
    const env = { ...laptop('admin').env, GIT_SSL_CAINFO: rootFile() } as Record<string, string>;
    expect((await platform.ok(['git:remote', '-a', 'web'], { cwd: repo, env })).stdout).toContain(`Git remote dozen added: ${apiUrl}/git/web.git`);
    const push = await git(['push', 'dozen', 'main'], env);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('remote: Released v2');
    // The same push without the CA's root: git refuses the certificate.
    const untrusted = await git(['push', 'dozen', 'main'], { ...env, GIT_SSL_CAINFO: '/dev/null' });
    expect(untrusted.code).not.toBe(0);
  });

  it("the audit trail has the client's address from the router, never an X-Forwarded-For the client sent", async () => {
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    const created = await httpsGet(platform.routerHttpsPort, API, '/apps', ca.rootPem, {
      method: 'POST', localAddress: CLIENT, body: JSON.stringify({ name: 'addressed' }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(created.status, created.body).toBe(201);
    const events = JSON.parse((await platform.ok(['audit', '--json', '-n', '500'])).stdout) as AuditEvent[];
    const event = events.find((e) => e.action === 'createApp' && e.app === 'addressed');
    expect(event?.remoteAddress).toBe(CLIENT);
  });

  it('plain HTTP to the API domain gets a 308 to https:// with the same path and query', async () => {
    const response = await httpGet(platform.routerPort, API, '/apps?x=1');
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`https://${API}:${platform.routerHttpsPort}/apps?x=1`);
  });
});
