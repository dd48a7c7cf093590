import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import { claimNetworkRange, releaseNetworkRange } from './network-range.js';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const DOZEN_BIN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface HttpResult {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A real `dozen up` on random loopback ports with its own data dir, and the real CLI pointed at
 * it. Tests talk to it only the way a user would: the CLI and HTTP through the router.
 */
export class TestPlatform {
  apiUrl = '';
  routerPort = 0;
  /** The router's HTTPS listener (0 when DOZEN_ROUTER_HTTPS_PORT=off). */
  routerHttpsPort = 0;
  private child: ChildProcess | null = null;
  private output = '';

  private readonly env: Record<string, string>;

  constructor(
    readonly dataDir: string,
    env: Record<string, string>,
    /** The `dozen` program that runs the platform (an upgrade test starts another build). */
    readonly bin: string = DOZEN_BIN,
  ) {
    // An app network range of its own, unless the test names one (see network-range.ts).
    this.env = env.DOZEN_APP_NETWORK === undefined ? { ...env, DOZEN_APP_NETWORK: claimNetworkRange() } : env;
  }

  /** The app network range this platform's apps get their addresses from. */
  get networkRange(): string {
    return this.env.DOZEN_APP_NETWORK as string;
  }

  static async start(env: Record<string, string> = {}): Promise<TestPlatform> {
    const platform = new TestPlatform(mkdtempSync(join(tmpdir(), 'dozen-e2e-')), env);
    await platform.boot();
    return platform;
  }

  /** Stops this platform and starts another (of `bin`: an upgrade) on the same data dir, environment and API port. */
  async restart(bin: string = this.bin): Promise<TestPlatform> {
    const port = new URL(this.apiUrl).port;
    await this.stop();
    const next = new TestPlatform(this.dataDir, { ...this.env, PORT: port }, bin);
    await next.boot();
    return next;
  }

  get logs(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async boot(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [this.bin, 'up'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dataDir, PORT: '0', DOZEN_ROUTER_PORT: '0', DOZEN_ROUTER_HTTPS_PORT: '0', DOZEN_DATA_DIR: this.dataDir, DOZEN_GRACE_PERIOD: '10', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`platform did not start:\n${this.output}`)), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        for (const line of this.output.split('\n')) {
          if (!line.includes('Dozen is up')) continue;
          const info = JSON.parse(line) as { api: string; routerPort: number; routerHttpsPort: number | null };
          this.apiUrl = info.api;
          this.routerPort = info.routerPort;
          this.routerHttpsPort = info.routerHttpsPort ?? 0;
          clearTimeout(timer);
          ready();
          return;
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`platform exited with ${code} before it was up:\n${this.output}`));
      });
    });
  }

  /** Resolves when the platform process has exited on its own (`dozen down`). */
  async exited(timeoutMs = 30_000): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode === null) {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`the platform did not exit in ${timeoutMs} ms`)), timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
    }
    this.child = null;
    return child.exitCode;
  }

  /** Sends a signal and resolves with the exit code and how long the exit took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: string | null; ms: number }> {
    const child = this.child;
    if (!child || child.exitCode !== null) return { code: child?.exitCode ?? null, signal: null, ms: 0 };
    const started = Date.now();
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) => child.once('exit', (code, sig) => done({ code, signal: sig })));
    child.kill(signal);
    const result = await exited;
    this.child = null;
    return { ...result, ms: Date.now() - started };
  }

  /** The edge's pid (router and app processes, outliving the platform process), or null. */
  get edgePid(): number | null {
    try {
      return Number(readFileSync(join(this.dataDir, 'run', 'edge.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  /** Stops the edge as a service stop would (SIGTERM: every app process stops), and waits for it. */
  async stopEdge(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const pid = this.edgePid;
    if (pid === null || !isAlive(pid)) return;
    process.kill(pid, signal);
    const deadline = Date.now() + 30_000;
    while (isAlive(pid)) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async destroy(): Promise<void> {
    await this.stop('SIGTERM');
    await this.stopEdge();
    releaseNetworkRange(this.env.DOZEN_APP_NETWORK);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs the real `dozen` CLI against this platform. */
  cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [DOZEN_BIN, ...args], {
        cwd: options.cwd ?? ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dataDir, XDG_CONFIG_HOME: join(this.dataDir, 'cli-config'), DOZEN_API_URL: this.apiUrl, DOZEN_DATA_DIR: this.dataDir, NO_COLOR: '1', ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.end(options.input ?? '');
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  }

  /** `dozen ARGS`, which must succeed (the output is in the failure message). */
  async ok(args: string[], options: CliOptions = {}): Promise<CliResult> {
    const result = await this.cli(args, options);
    expect(result.code, `dozen ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result;
  }

  /** `dozen ARGS`, which must fail with the error `code`. */
  async fails(args: string[], code: string, options: CliOptions = {}): Promise<CliResult> {
    const result = await this.cli(args, options);
    expect(result.code, `dozen ${args.join(' ')} should fail\n${result.stdout}\n${result.stderr}`).not.toBe(0);
    expect(result.stderr).toContain(`(${code}`);
    return result;
  }

  /** A request through the router, addressed the way a browser would: Host: <app>.localhost. */
  http(app: string, path = '/', headers: Record<string, string> = {}): Promise<HttpResult> {
    return httpGet(this.routerPort, `${app}.localhost`, path, headers);
  }

  /** Any method, with a JSON body, through the router. */
  send(app: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
    return httpRequest(this.routerPort, `${app}.localhost`, method, path, body);
  }
}

export function httpGet(port: number, host: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

export function httpRequest(port: number, host: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { host };
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

/** Retries `check` until it passes or the time is up (for things that converge). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/**
 * The address the platform reaches an app process at: its app network's (the namespace's eth0),
 * or 127.0.0.1 when it shares the host's network (no isolation).
 */
export function addressOf(pid: number): string {
  const inside = execFileSync('/usr/bin/nsenter', [`--net=/proc/${pid}/ns/net`, '/usr/sbin/ip', '-4', '-o', 'addr', 'show']).toString();
  return /\beth0\s+inet (\d+\.\d+\.\d+\.\d+)\//.exec(inside)?.[1] ?? '127.0.0.1';
}

/**
 * Pids of app processes whose slug lies below `dir`: unsandboxed ones run in their slug; a
 * sandboxed one sees its slug at /app (the same directory, found by device and inode).
 */
export function processesUnder(dir: string): number[] {
  const slugs = slugIdentities(dir);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !isAlive(Number(entry))) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) pids.push(Number(entry));
      else if (slugs.has(identity(`/proc/${entry}/root/app`))) pids.push(Number(entry));
    } catch {
      // gone meanwhile, not sandboxed, or not ours to read
    }
  }
  return pids;
}

/**
 * Whether a process exists and is not a zombie. (bubblewrap's reaper of a finished sandbox is
 * left to the host's init to reap; where that init does not reap, it stays a zombie: dead.)
 */
export function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** One entry per app process (a sandbox, or the process group of an unsandboxed one). */
export function processGroupsUnder(dir: string): string[] {
  const groups = new Set<string>();
  for (const pid of processesUnder(dir)) {
    try {
      const pgid = readText(`/proc/${pid}/stat`).replace(/^.*\) /, '').split(' ')[2];
      groups.add(`${readlinkSync(`/proc/${pid}/ns/pid`)}:${pgid}`);
    } catch {
      // gone meanwhile
    }
  }
  return [...groups];
}

/** device:inode of every slug directory (`<slugs>/<app id>/<slug id>`) below `dir`. */
function slugIdentities(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (path: string, depth: number) => {
    if (depth === 0) return found.add(identity(path));
    for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) walk(join(path, entry.name), depth - 1);
  };
  try {
    const base = basename(dir) === 'slugs' ? 2 : basename(dirname(dir)) === 'slugs' ? 1 : 0;
    walk(dir, base);
  } catch {
    // no slugs (yet, or any more)
  }
  return found;
}

function identity(path: string): string {
  const stat = statSync(path);
  return `${stat.dev}:${stat.ino}`;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Pids of the processes whose command line contains `text` (from /proc: sandboxed ones too). */
export function processesRunning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
