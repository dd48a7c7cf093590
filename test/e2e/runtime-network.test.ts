import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, TestPlatform } from './support/platform.js';

const PROBE = 'test/e2e/fixtures/probe';
const IP = '/usr/sbin/ip';
/** The test's stand-in for the internet: a namespace of its own behind a veth of its own (198.18.0.0/15 is for tests). */
const INTERNET = 'dozen-e2e-internet';
const INTERNET_ADDRESS = '198.18.1.2';

/**
 * Runs inside `dozen run`: connects to each target (host:port, optionally an HTTP request with a
 * Host header) and prints what it got: `OK <first bytes>` or the error code.
 */
const CONNECT = `
const net = require('node:net');
const targets = JSON.parse(process.argv[1]);
const gateway = new URL(process.env.DATABASE_URL || process.env.REDIS_URL).hostname;
const one = (t) => new Promise((done) => {
  const host = t.host === 'gateway' ? gateway : t.host;
  const s = net.connect(t.port, host);
  let got = '';
  s.setTimeout(2000, () => { s.destroy(); done(got ? 'OK ' + got : 'TIMEOUT'); });
  s.on('connect', () => { if (t.hostHeader) s.write('GET / HTTP/1.1\\r\\nHost: ' + t.hostHeader + '\\r\\nConnection: close\\r\\n\\r\\n'); else if (t.send) s.write(Buffer.from(t.send, 'latin1')); });
  s.on('data', (d) => { got += d; });
  s.on('end', () => done('OK ' + got));
  s.on('error', (e) => done(got ? 'OK ' + got : e.code));
});
(async () => {
  const results = {};
  for (const t of targets) results[t.name] = await one(t);
  console.log(JSON.stringify({ gateway, results }));
})();
`;

interface Target {
  name: string;
  host: string;
  port: number;
  hostHeader?: string;
  send?: string;
}

/** Lines naming a namespace, link (`dz` + the hex address of its slot) or chain (`DZ` + the range's base) of `range`. */
const ours = (range: string, text: string) => {
  const [address, bits] = range.split('/') as [string, string];
  const base = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const size = 2 ** (32 - Number(bits));
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return text.split('\n').filter((line) => line.includes(`DZ${hex(base)}`) || [...line.matchAll(/dz([0-9a-f]{8})/g)].some((m) => parseInt(m[1] as string, 16) - base >= 0 && parseInt(m[1] as string, 16) - base < size));
};
const leftovers = (range: string) => ({
  namespaces: ours(range, execFileSync(IP, ['netns', 'list']).toString()),
  links: ours(range, execFileSync(IP, ['-o', 'link', 'show']).toString()),
  rules: ours(range, execFileSync('/usr/sbin/iptables-save').toString()),
});

/** Issue 12, acceptance 1: each app in a network of its own. */
describe.skipIf(process.getuid?.() !== 0)('runtime: every app in its own network', () => {
  let platform: TestPlatform;
  const host: Server[] = [];
  let internet: ChildProcess | null = null;
  let loopbackService = 0;
  const ok = (args: string[]) => platform.ok(args);
  const config = async (app: string) => JSON.parse((await ok(['config', '-a', app, '--json'])).stdout) as Record<string, string>;
  const probe = async (app: string, targets: Target[]) => {
    const result = await ok(['run', '-a', app, '--', 'node', '-e', CONNECT, JSON.stringify(targets)]);
    return JSON.parse(result.stdout) as { gateway: string; results: Record<string, string> };
  };
  const webOf = async (app: string) => {
    const pid = (JSON.parse((await ok(['ps', '-a', app, '--json'])).stdout) as { name: string; pid: number }[]).find((p) => p.name === 'web.1')?.pid as number;
    const port = Number(/(?:^|\0)PORT=(\d+)/.exec(readFileSync(`/proc/${pid}/environ`, 'utf8'))?.[1]);
    return { port, address: addressOf(pid) };
  };

  beforeAll(async () => {
    const server = createServer((socket) => socket.end('host-secret'));
    host.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    loopbackService = (server.address() as { port: number }).port;
    execFileSync(IP, ['netns', 'add', INTERNET]);
    execFileSync(IP, ['link', 'add', 'dze2enet', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', INTERNET]);
    execFileSync(IP, ['addr', 'add', '198.18.1.1/30', 'dev', 'dze2enet']);
    execFileSync(IP, ['link', 'set', 'dze2enet', 'up']);
    execFileSync(IP, ['-n', INTERNET, 'addr', 'add', `${INTERNET_ADDRESS}/30`, 'dev', 'eth0']);
    execFileSync(IP, ['-n', INTERNET, 'link', 'set', 'eth0', 'up']);
    internet = spawn(IP, ['netns', 'exec', INTERNET, process.execPath, '-e', "require('net').createServer(s=>s.end('the-internet')).listen(8080,()=>console.log('up'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => internet?.stdout?.once('data', resolve));

    platform = await TestPlatform.start();
    await ok(['apps:create', 'alpha']);
    await ok(['apps:create', 'beta']);
    await ok(['addons:create', 'postgres', '-a', 'alpha']);
    await ok(['addons:create', 'redis', '-a', 'beta']);
    await ok(['deploy', PROBE, '-a', 'alpha']);
    await ok(['deploy', PROBE, '-a', 'beta']);
  });

  afterAll(async () => {
    internet?.kill('SIGKILL');
    for (const server of host) server.close();
    await platform?.destroy();
    execFileSync(IP, ['netns', 'delete', INTERNET]);
  });

  it('1. from A: B\'s process, B\'s add-on server, the API and host loopback services fail; the router, its own add-on and the internet answer', async () => {
    expect(platform.logs).toContain('every app has its own network namespace');
    const beta = await webOf('beta');
    const alphaDb = new URL((await config('alpha')).DATABASE_URL as string);
    const betaRedis = new URL((await config('beta')).REDIS_URL as string);
    const apiPort = Number(new URL(platform.apiUrl).port);
    const { gateway, results } = await probe('alpha', [
      { name: 'beta web direct', host: beta.address, port: beta.port, hostHeader: 'beta.localhost' },
      { name: 'beta web on loopback', host: '127.0.0.1', port: beta.port, hostHeader: 'beta.localhost' },
      { name: 'beta redis', host: 'gateway', port: Number(betaRedis.port), send: 'PING\r\n' },
      { name: 'beta redis on loopback', host: '127.0.0.1', port: Number(betaRedis.port), send: 'PING\r\n' },
      { name: 'api', host: 'gateway', port: apiPort, hostHeader: 'localhost' },
      { name: 'api on loopback', host: '127.0.0.1', port: apiPort, hostHeader: 'localhost' },
      { name: 'host loopback service', host: 'gateway', port: loopbackService },
      { name: 'host loopback service on loopback', host: '127.0.0.1', port: loopbackService },
      { name: 'router', host: 'gateway', port: platform.routerPort, hostHeader: 'beta.localhost' },
      { name: 'own postgres', host: 'gateway', port: Number(alphaDb.port), send: '\0\0\0\x08\x04\xd2\x16\x2f' },
      { name: 'internet', host: INTERNET_ADDRESS, port: 8080 },
    ]);
    expect(ours(platform.networkRange, `dz${gateway.split(".").map((n) => Number(n).toString(16).padStart(2, "0")).join("")}`)).toHaveLength(1); // the gateway is in the platform's range
    for (const name of ['beta web direct', 'beta web on loopback', 'beta redis', 'beta redis on loopback', 'api', 'api on loopback', 'host loopback service', 'host loopback service on loopback']) {
      expect(results[name], name).toMatch(/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|TIMEOUT)$/);
    }
    // Through the router like any client; Postgres answers an SSL request with one byte (N or S).
    expect(results.router).toMatch(/^OK HTTP\/1\.1 200[\s\S]*"process":"web\.1"/);
    expect(results['own postgres']).toMatch(/^OK [NS]$/);
    expect(results.internet).toBe('OK the-internet');
    // B reaches its own Redis (and A's Postgres port is not opened to it).
    const fromBeta = await probe('beta', [
      { name: 'own redis', host: 'gateway', port: Number(betaRedis.port), send: 'PING\r\n' },
      { name: 'alpha postgres', host: 'gateway', port: Number(alphaDb.port), send: '\0\0\0\x08\x04\xd2\x16\x2f' },
    ]);
    expect(fromBeta.results['own redis']).toMatch(/^OK -NOAUTH|^OK \+PONG/);
    expect(fromBeta.results['alpha postgres']).toMatch(/^(ECONNREFUSED|ECONNRESET|TIMEOUT)$/);
    // The platform still reaches B's web process at its namespace address, and so does the router.
    expect((await platform.http('beta')).status).toBe(200);
  });

  it('removes an app\'s network with the app, keeps them across a platform restart, and removes every one with `down --stop-apps`', async () => {
    const before = leftovers(platform.networkRange).namespaces.length;
    expect(before).toBeGreaterThanOrEqual(2);
    await ok(['apps:destroy', 'alpha', '--confirm', 'alpha']);
    expect(leftovers(platform.networkRange).namespaces).toHaveLength(before - 1);
    const kept = leftovers(platform.networkRange);
    await platform.stop();
    expect(leftovers(platform.networkRange)).toEqual(kept);
    await platform.boot();
    await ok(['down', '--stop-apps']);
    expect(await platform.exited()).toBe(0);
    expect(leftovers(platform.networkRange)).toEqual({ namespaces: [], links: [], rules: [] });
  });
});

describe('runtime: network isolation off without a sandbox', () => {
  it('says so at start and keeps working', async () => {
    const platform = await TestPlatform.start({ DOZEN_SANDBOX: 'none' });
    try {
      expect(platform.logs).toContain('network isolation is off');
    } finally {
      await platform.destroy();
    }
  });
});
