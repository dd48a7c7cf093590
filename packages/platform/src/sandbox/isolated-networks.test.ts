import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from './address-plan.js';
import { openNetwork } from './open-network.js';
import type { AppNetwork } from '../shared-ports/app-network.js';

/**
 * The real thing, as root: namespaces, veth pairs and iptables rules, reachability checked with
 * TCP connects from inside the namespaces. Test traffic stays on loopback and in namespaces this
 * test creates (its own range, 10.212.240.0/24, outside the default range, and an "internet" namespace on 198.18.0.0/30).
 */
const RANGE = parseRange('10.212.240.0/24')!;
const IP = '/usr/sbin/ip';
const INTERNET = 'dozen-test-internet';

let network: AppNetwork;
const servers: Server[] = [];
const children: ChildProcess[] = [];
let allowed = 0;
let hostOnly = 0;
let routerPort = 0;

/** A server on the host's loopback; `{peer}` in its answer is the client's address as it sees it. */
function listen(port = 0, host = '127.0.0.1', answer = 'hello from {peer}'): Promise<number> {
  const server = createServer((socket) => socket.end(answer.replace('{peer}', socket.remoteAddress ?? '')));
  servers.push(server);
  return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as { port: number }).port)));
}

/** What a TCP connect from inside `namespace` to host:port gets: the first bytes, or the error code. */
async function connectFrom(namespace: string, host: string, port: number): Promise<string> {
  const script = `const s=require('net').connect(${port},'${host}');s.setTimeout(1500,()=>{console.log('TIMEOUT');process.exit()});s.on('data',d=>{console.log('OK '+d);process.exit()});s.on('error',e=>{console.log(e.code);process.exit()})`;
  // Not a sync exec: the servers it connects to run in this process.
  const { stdout } = await promisify(execFile)('/usr/bin/nsenter', [`--net=${namespace}`, '--', process.execPath, '-e', script]);
  return stdout.trim();
}

/** A server in `namespace`, as an app process would run it (bound to every address there). */
function serveIn(namespace: string, port: number, answer: string): Promise<void> {
  const child = spawn('/usr/bin/nsenter', [`--net=${namespace}`, '--', process.execPath, '-e', `require('net').createServer(s=>s.end('${answer}')).listen(${port},'0.0.0.0',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve) => child.stdout?.once('data', () => resolve()));
}

const leftovers = () => ({
  namespaces: execFileSync(IP, ['netns', 'list']).toString().split('\n').filter((line) => /^dz[0-9a-f]{8}/.test(line) && line.startsWith('dz0ad4f0')),
  links: execFileSync(IP, ['-o', 'link', 'show']).toString().split('\n').filter((line) => line.includes('dz0ad4f0')),
  rules: execFileSync('/usr/sbin/iptables-save').toString().split('\n').filter((line) => line.includes('DZ0ad4f000')),
});

describe.skipIf(process.getuid?.() !== 0)('app networks (as root)', () => {
  beforeAll(async () => {
    allowed = await listen();
    hostOnly = await listen(0, '127.0.0.1', 'secret');
    routerPort = await listen(0, '127.0.0.1', 'router');
    network = await openNetwork('on', true, RANGE, () => ({ host: '127.0.0.1', port: routerPort }));
    // The test's stand-in for the internet: a namespace of its own behind a veth of its own.
    execFileSync(IP, ['netns', 'add', INTERNET]);
    execFileSync(IP, ['link', 'add', 'dztestnet', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', INTERNET]);
    execFileSync(IP, ['addr', 'add', '198.18.0.1/30', 'dev', 'dztestnet']);
    execFileSync(IP, ['link', 'set', 'dztestnet', 'up']);
    execFileSync(IP, ['-n', INTERNET, 'addr', 'add', '198.18.0.2/30', 'dev', 'eth0']);
    execFileSync(IP, ['-n', INTERNET, 'link', 'set', 'eth0', 'up']);
    await serveIn(`/run/netns/${INTERNET}`, 8080, 'internet');
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const server of servers) server.close();
    await network?.close();
    execFileSync(IP, ['netns', 'delete', INTERNET]);
  });

  it('gives each app its own address and lets it reach only the router, its add-on ports and the internet', async () => {
    const a = await network.prepare('app-a', [allowed]);
    const b = await network.prepare('app-b', []);
    expect(a.host).toBe('10.212.240.6');
    expect(a.gateway).toBe('10.212.240.5');
    expect(b.host).toBe('10.212.240.10');
    await serveIn(b.namespace!, 9000, 'b-web');
    const from = a.namespace!;
    expect(await connectFrom(from, a.gateway!, allowed)).toBe('OK hello from 127.0.0.1');
    expect(await connectFrom(from, a.gateway!, routerPort)).toBe('OK router');
    expect(await connectFrom(from, '198.18.0.2', 8080)).toBe('OK internet');
    // The platform reaches B's process on B's address; A does not, nor the host's other ports.
    expect(await connectFrom(b.namespace!, b.host, 9000)).toBe('OK b-web');
    expect(await connectFrom(from, b.host, 9000)).toBe('ECONNREFUSED');
    expect(await connectFrom(from, a.gateway!, hostOnly)).toBe('ECONNREFUSED');
    expect(await connectFrom(from, '127.0.0.1', hostOnly)).toBe('ECONNREFUSED');
    // B's gateway forwards nothing for A, and B has no add-on port opened.
    expect(await connectFrom(from, b.gateway!, routerPort)).toBe('ECONNREFUSED');
    expect(await connectFrom(b.namespace!, b.gateway!, allowed)).toBe('ECONNREFUSED');
  });

  it('follows attachments: a port opened or closed on the next prepare', async () => {
    const b = await network.prepare('app-b', [allowed]);
    expect(await connectFrom(b.namespace!, b.gateway!, allowed)).toBe('OK hello from 127.0.0.1');
    await network.prepare('app-b', []);
    expect(await connectFrom(b.namespace!, b.gateway!, allowed)).toBe('ECONNREFUSED');
  });

  it('removes an app\'s network with it, and every one of them when closed, leaving nothing behind', async () => {
    const a = await network.prepare('app-a', [allowed]);
    await network.remove('app-a');
    expect(execFileSync(IP, ['netns', 'list']).toString()).not.toContain(a.namespace!.split('/').pop());
    await network.prepare('app-c', []);
    await network.close();
    expect(leftovers()).toEqual({ namespaces: [], links: [], rules: [] });
  });

  it('sweeps what a killed platform left at the next start', async () => {
    const first = await openNetwork('on', true, RANGE, () => null);
    await first.prepare('app-a', [allowed]);
    expect(leftovers().namespaces).toHaveLength(1);
    const second = await openNetwork('on', true, RANGE, () => null);
    expect(leftovers()).toEqual({ namespaces: [], links: [], rules: expect.any(Array) });
    await second.close();
    expect(leftovers()).toEqual({ namespaces: [], links: [], rules: [] });
  });
});
