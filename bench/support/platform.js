// A real `dozen up` for the benches: random loopback ports, its own data dir (removed at stop), the real CLI.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

/** `onLine`: called with each line the platform prints once it is up (its JSON log); else they are not kept. */
export async function startPlatform(env = {}, dataDir = mkdtempSync(join(tmpdir(), 'dozen-bench-')), { onLine } = {}) {
  const child = spawn(process.execPath, [DOZEN, 'up'], {
    env: { PATH: process.env.PATH, HOME: dataDir, PORT: '0', DOZEN_ROUTER_PORT: '0', DOZEN_ROUTER_HTTPS_PORT: '0', DOZEN_DATA_DIR: dataDir, DOZEN_GRACE_PERIOD: '10', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((done) => child.once('exit', done));
  const end = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const info = await new Promise((ready, fail) => {
    let up = false;
    const failed = async (error) => {
      if (up) return;
      child.kill('SIGKILL');
      await stopEdge(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      fail(error);
    };
    const timer = setTimeout(() => failed(new Error(`platform did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.includes('Dozen is up'));
      if (line) {
        clearTimeout(timer);
        // Up: its further output is not kept (a long bench would pile it up here), only passed on.
        child.stdout.off('data', onData);
        if (onLine) passLines(child.stdout, onLine, output.slice(output.lastIndexOf('\n') + 1));
        else child.stdout.resume();
        up = true;
        ready(JSON.parse(line));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => failed(new Error(`platform exited with ${code}:\n${output}`)));
  });
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  return {
    pid: child.pid,
    /** The edge's pid (the router and the app processes live there, apart from the `dozen up` process). */
    edgePid: () => edgePidOf(dataDir),
    dataDir,
    apiUrl: info.api,
    routerPort: info.routerPort,
    cli: (args, options = {}) => cli(args, { DOZEN_API_URL: info.api, DOZEN_DATA_DIR: dataDir, HOME: dataDir }, options),
    api: async (method, path, body) => {
      const response = await fetch(info.api + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** SIGTERM to the platform process (its apps keep running in the edge), then a new one on the same data dir and API port. */
    async restart() {
      await end();
      return startPlatform({ ...env, PORT: new URL(info.api).port }, dataDir);
    },
    async stop() {
      await end();
      // The apps run on in the edge (they outlive the platform process): stop it too.
      await stopEdge(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function passLines(stream, onLine, rest) {
  let partial = rest;
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) onLine(line);
  });
}

function edgePidOf(dataDir) {
  try {
    return Number(readFileSync(join(dataDir, 'run', 'edge.pid'), 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

/** SIGTERM to the data dir's edge (router and app processes), then waits until it has exited. */
export async function stopEdge(dataDir) {
  const pid = edgePidOf(dataDir);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!pid || !alive()) return;
  process.kill(pid, 'SIGTERM');
  while (alive()) await new Promise((r) => setTimeout(r, 50));
}

export function cli(args, env, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DOZEN, ...args], { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => (code === 0 ? done(stdout) : fail(new Error(`dozen ${args.join(' ')} failed (${code}):\n${stdout}\n${stderr}`))));
  });
}
