import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { request, type Agent } from 'node:http';
import { join, resolve } from 'node:path';
import type { LogEvent } from '../core/model.js';
import { HostTable } from '../router/host-table.js';
import { createRouter, defaultLimits, type Router } from '../router/http-router.js';
import { MemoryRouteTable } from '../router/route-table.js';
import type { RouterLimits } from '../router/router-context.js';
import type { UpstreamOptions } from '../router/upstream.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
export const PROBE_APP = join(ROOT, 'examples', 'node-probe', 'server.js');

export interface Probe {
  port: number;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs examples/node-probe as a real app process on a free port. */
export async function startProbe(name = 'web.1'): Promise<Probe> {
  const port = await freePort();
  const child = spawn(process.execPath, [PROBE_APP], { env: { PATH: '/usr/local/bin:/usr/bin:/bin', PORT: String(port), DOZEN_PROCESS: name, DOZEN_RELEASE: 'v1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`probe did not start: ${output}`)), 15_000);
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('listening on port')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.on('exit', (code) => fail(new Error(`probe exited with ${code}: ${output}`)));
  });
  return {
    port,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}

export interface TestRouter {
  port: number;
  router: Router;
  table: MemoryRouteTable;
  hosts: HostTable;
  lines: LogEvent[];
  close(): Promise<void>;
}

/** The real router on a loopback port, with a route table the test fills. */
export async function startRouter(limits: Partial<RouterLimits> = {}, trustedProxies: string[] = [], upstream: Partial<UpstreamOptions> = {}): Promise<TestRouter> {
  const table = new MemoryRouteTable();
  const hosts = new HostTable('localhost');
  const lines: LogEvent[] = [];
  let port = 0;
  const router = createRouter({ table, hosts, logs: { append: (e) => lines.push(e) }, publicPort: () => port, limits: { ...defaultLimits, ...limits }, trustedProxies, upstream });
  port = await listen(router.server);
  return {
    port,
    router,
    table,
    hosts,
    lines,
    close: async () => {
      router.server.close();
      router.closeAllConnections();
    },
  };
}

export interface RawResult {
  text: string;
  /** The router closed the connection. */
  closed: boolean;
}

/**
 * Sends raw bytes on one connection (a number in `chunks` is a pause in ms) and collects what
 * comes back until the router closes it or `waitMs` passes without it closing.
 */
export function rawExchange(port: number, chunks: (string | Buffer | number)[], waitMs = 1500): Promise<RawResult> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let finished = false;
    const end = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      done({ text, closed });
    };
    const timer = setTimeout(() => end(false), waitMs);
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => end(true));
    socket.on('error', () => end(true));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'number') await sleep(chunk);
        else if (!socket.destroyed) socket.write(chunk);
      }
    });
  });
}

export interface Recorder {
  port: number;
  /** Every byte any connection sent, in order of arrival. */
  received: () => string;
  connections: () => number;
  close(): Promise<void>;
}

/** A backend that records raw bytes and answers each request head with a tiny 200. */
export async function recordingBackend(): Promise<Recorder> {
  let received = '';
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    let buffered = '';
    socket.on('data', (c: Buffer) => {
      received += c.toString('latin1');
      buffered += c.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    received: () => received,
    connections: () => connections,
    close: () =>
      new Promise((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

export function listen(server: Server): Promise<number> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
}

export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((done) => server.close(done));
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request through the router with node:http (a well-behaved client). */
export function send(port: number, options: { host: string; path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent | false }): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: { host: options.host, ...options.headers }, agent: options.agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(options.body);
  });
}

export interface Blackhole {
  /** A loopback port where a new connection neither opens nor fails: its SYN is dropped. */
  port: number;
  stop(): Promise<void>;
}

/**
 * A listening socket that never accepts, its accept queue filled: the kernel then drops new
 * SYNs, so a connect to it hangs (the connect-timeout case) instead of being refused.
 */
export async function blackholePort(): Promise<Blackhole> {
  const script = `const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => { console.log(s.address().port); setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 20); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((done) => child.stdout?.once('data', (c: Buffer) => done(Number(c.toString().trim()))));
  await sleep(100);
  const fillers: Socket[] = [];
  let hangs = false;
  for (let i = 0; i < 32 && !hangs; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const opened = await new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        done(true);
      });
    });
    hangs = !opened;
  }
  if (!hangs) throw new Error(`port ${port} kept accepting connections: no blackhole`);
  return {
    port,
    stop: () =>
      new Promise((done) => {
        for (const socket of fillers) socket.destroy();
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}
