// `npm run bench -- deploy`: how long a deploy takes, from the CLI call until the new release
// answers through the router, beside its floors, measured in one run on this machine:
//   cold deploy         a new app, empty build caches
//   warm redeploy       a code change, dependencies unchanged
//   config-only release `config:set`
//   floor: npm ci       `npm ci` of the same app with a warm npm cache
//   floor: first resp.  `node server.js` until it answers its first request
// Two apps: examples/node-web (no dependencies: the platform's own cost) and bench/apps/deps-web
// (express, 68 packages: a warm redeploy restores node_modules from the build cache).
// The platform and the CLI are the built ones (npm run build first). Loopback only; it stops by itself.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlatform } from './support/platform.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
const APPS = [
  { name: 'node-web', dir: join(ROOT, 'examples', 'node-web'), label: 'examples/node-web, no dependencies' },
  { name: 'deps-web', dir: join(ROOT, 'bench', 'apps', 'deps-web'), label: 'bench/apps/deps-web, express: 68 packages' },
];
const RUNS = Number(process.env.BENCH_RUNS || 7);

export async function run() {
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-bench-deploy-'));
  const platform = await startPlatform({ NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' });
  try {
    for (const app of APPS) printTable(app, await measure(platform, scratch, app));
  } finally {
    await platform.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(platform, scratch, { name, dir }) {
  const cli = (args) => runCli(platform, args);
  const source = join(scratch, name);
  cpSync(dir, source, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const cold = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const app = `${name}-cold-${i}`;
    await cli(['apps:create', app]);
    cold.push(await timed(() => cli(['deploy', source, '-a', app]), () => answers(platform, app, 'v1')));
  }
  const warmApp = `${name}-warm`;
  await cli(['apps:create', warmApp]);
  await cli(['deploy', source, '-a', warmApp]);
  const warm = [];
  let version = 1;
  for (let i = 0; i < RUNS; i++) {
    appendFileSync(join(source, 'server.js'), `// change ${i}\n`);
    version += 1;
    const v = `v${version}`;
    warm.push(await timed(() => cli(['deploy', source, '-a', warmApp]), () => answers(platform, warmApp, v)));
  }
  const config = [];
  for (let i = 0; i < RUNS; i++) {
    version += 1;
    const v = `v${version}`;
    config.push(await timed(() => cli(['config:set', `BENCH=${i}`, '-a', warmApp]), () => answers(platform, warmApp, v)));
  }
  const npmCi = await npmCiFloor(scratch, name, dir);
  return { cold, warm, config, npmCi, firstResponse: await firstResponseFloor(join(scratch, `npm-ci-${name}`)) };
}

/** Starts `work` (a CLI call), then polls until `ready` holds; the time is from start to ready. */
async function timed(work, ready) {
  const started = performance.now();
  const done = work();
  await done;
  for (;;) {
    if (await ready()) return performance.now() - started;
    await sleep(5);
  }
}

async function answers(platform, app, release) {
  try {
    const res = await get(platform.routerPort, `${app}.localhost`, '/');
    return res.status === 200 && JSON.parse(res.body).release === release;
  } catch {
    return false;
  }
}

async function npmCiFloor(scratch, name, app) {
  const dir = join(scratch, `npm-ci-${name}`);
  cpSync(app, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const cache = join(scratch, 'npm-cache');
  const ci = () => exec('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env: { ...process.env, npm_config_cache: cache } });
  await ci();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    const started = performance.now();
    await ci();
    times.push(performance.now() - started);
  }
  return times;
}

async function firstResponseFloor(dir) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, ['server.js'], { cwd: dir, env: { PATH: process.env.PATH, PORT: String(port) }, stdio: 'ignore' });
    let exited = null;
    child.once('exit', (code) => (exited = code));
    for (;;) {
      if (exited !== null) throw new Error(`node server.js in ${dir} exited with ${exited} before answering`);
      try {
        if ((await get(port, 'localhost', '/')).status === 200) break;
      } catch {
        await sleep(5);
      }
    }
    times.push(performance.now() - started);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  return times;
}

function printTable(app, r) {
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const floorDeploy = med(r.npmCi) + med(r.firstResponse);
  const rows = [
    ['cold deploy', r.cold, floorDeploy],
    ['warm redeploy (deps unchanged)', r.warm, floorDeploy],
    ['config-only release', r.config, med(r.firstResponse)],
    ['floor: npm ci (warm npm cache)', r.npmCi, null],
    ['floor: bare app, first response', r.firstResponse, null],
  ];
  const s = (ms) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`\n## deploy: CLI call until the new release answers through the router (${app.label}; ${RUNS} runs, median)`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared: numbers vary with other work)\n`);
  console.log('| what | median | min | max | floor | x floor |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, xs, floor] of rows) {
    const m = med(xs);
    console.log(`| ${name} | ${s(m)} | ${s(Math.min(...xs))} | ${s(Math.max(...xs))} | ${floor === null ? '' : s(floor)} | ${floor === null ? '' : (m / floor).toFixed(2)} |`);
  }
  console.log('\nfloor of a deploy = npm ci (warm cache) + first response of the bare app; of a config change = first response.');
  const warm = med(r.warm);
  console.log(`target: warm redeploy <= 1.5 s and <= 1.3 x its floor: ${s(warm)}, ${(warm / floorDeploy).toFixed(2)} x -> ${warm <= 1500 && warm <= 1.3 * floorDeploy ? 'met' : 'NOT met'}`);
}

function runCli(platform, args) {
  return exec(process.execPath, [DOZEN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, NO_COLOR: '1' } });
}

function exec(program, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${program} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

function get(port, host, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

