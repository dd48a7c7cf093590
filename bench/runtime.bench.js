// `npm run bench -- runtime`: what the process runtime costs and whether it drops requests, beside
// PM2 on the same machine, app and load, in one run. Loopback only, bounded, cleans up after itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoad } from './runtime/load.js';
import { childrenOf, commandOf, median, pssBytes, settledRss, treeOf } from './runtime/memory.js';
import { ROOT, startPlatform } from './support/platform.js';
import { startPm2 } from './runtime/pm2.js';

const WEB = 'examples/node-web';
const DEPLOYS = 10;
const MANAGED = 100;
const MIB = 1024 * 1024;

export async function run() {
  const load = [loadavg()[0]];
  const dozen = await startPlatform();
  const pm2 = startPm2();
  let deploys;
  let scale;
  try {
    deploys = { dozen: await dozenDeploys(dozen), pm2: await pm2Reloads(pm2) };
    scale = await scaleUp(dozen);
  } finally {
    await pm2.kill();
    await dozen.stop();
  }
  // Memory on fresh instances: a platform that just served a load test has a heap still settling.
  const memory = { dozen: await withPlatform(dozenMemory), pm2: await withPm2(pm2Memory) };
  load.push(loadavg()[0]);
  printTable(deploys, memory, scale, load);
}

async function withPlatform(measure) {
  const platform = await startPlatform();
  try {
    return await measure(platform);
  } finally {
    await platform.stop();
  }
}

async function withPm2(measure) {
  const pm2 = startPm2();
  try {
    await pm2.run(['ping']);
    return await measure(pm2);
  } finally {
    await pm2.kill();
  }
}

/** 10 deploys of the example app with web=2 under load through Dozen's router. */
async function dozenDeploys(platform) {
  await platform.cli(['apps:create', 'bench']);
  await platform.cli(['deploy', WEB, '-a', 'bench']);
  await platform.cli(['ps:scale', 'web=2', '-a', 'bench']);
  const traffic = startLoad(platform.routerPort, 'bench.localhost');
  for (let i = 0; i < DEPLOYS; i++) await platform.cli(['deploy', WEB, '-a', 'bench']);
  return traffic.stop();
}

/** The same app, two workers in PM2 cluster mode, the same load, 10 `pm2 reload`. */
async function pm2Reloads(pm2) {
  const port = await freePort();
  // SIGTERM as Dozen sends it, so that the app's own graceful shutdown runs under PM2 too.
  await pm2.start([{ name: 'bench', script: join(ROOT, WEB, 'server.js'), instances: 2, exec_mode: 'cluster', kill_signal: 'SIGTERM', env: { PORT: String(port) } }]);
  await waitUntilAccepting(port);
  const traffic = startLoad(port, `127.0.0.1:${port}`);
  for (let i = 0; i < DEPLOYS; i++) await pm2.run(['reload', 'bench']);
  const result = await traffic.stop();
  await pm2.run(['delete', 'bench']);
  return result;
}

/** The platform's own RSS with no processes and with MANAGED of them (`sleep`), and its sandbox helpers. */
async function dozenMemory(platform) {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-bench-sleeper-'));
  writeFileSync(join(dir, 'Procfile'), 'worker: sleep 100000\n');
  await platform.cli(['apps:create', 'sleepers']);
  await platform.cli(['deploy', dir, '-a', 'sleepers']);
  rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, 2000));
  // The processes are the edge's children (issue 15): its memory is what grows with them.
  const edge = platform.edgePid();
  const before = await settledRss(edge);
  await platform.cli(['ps:scale', `worker=${MANAGED}`, '-a', 'sleepers']);
  await until(async () => (await platform.api('GET', '/apps/sleepers/processes')).filter((p) => p.state === 'up' && p.pid !== null).length === MANAGED);
  await new Promise((r) => setTimeout(r, 2000));
  const after = await settledRss(edge);
  // Each sandbox: bwrap, its reaper and our init, all per process; the app (sleep) is not counted.
  const sandboxes = childrenOf(edge).filter((pid) => commandOf(pid).startsWith('/usr/bin/bwrap') && commandOf(pid).includes('sleep 100000'));
  const helpers = sandboxes.flatMap((pid) => treeOf(pid)).filter((pid) => commandOf(pid) !== 'sleep 100000');
  const helperPss = helpers.reduce((sum, pid) => sum + pssBytes(pid), 0) / Math.max(1, sandboxes.length);
  await platform.cli(['ps:scale', 'worker=0', '-a', 'sleepers']);
  return { perProcess: (after - before) / MANAGED, before, after, helperPss, sandboxes: sandboxes.length };
}

/** PM2's daemon RSS with no apps and with MANAGED `sleep` processes (fork mode). */
async function pm2Memory(pm2) {
  const god = pm2.godPid();
  await new Promise((r) => setTimeout(r, 2000));
  const before = await settledRss(god);
  await pm2.start([{ name: 'sleepers', script: '/usr/bin/sleep', args: '100000', interpreter: 'none', exec_mode: 'fork', instances: MANAGED }]);
  await until(async () => childrenOf(god).length >= MANAGED);
  await new Promise((r) => setTimeout(r, 2000));
  const after = await settledRss(god);
  await pm2.run(['delete', 'sleepers']);
  return { perProcess: (after - before) / MANAGED, before, after };
}

/** From `dozen ps:scale web=+1` to the new process answering through the router; and the app's bare boot. */
async function scaleUp(platform) {
  const viaCli = [];
  const viaApi = [];
  for (let i = 0; i < 5; i++) {
    for (const [how, samples] of [['cli', viaCli], ['api', viaApi]]) {
      const started = Date.now();
      if (how === 'cli') await platform.cli(['ps:scale', 'web=+1', '-a', 'bench']);
      else await platform.api('PATCH', '/apps/bench/formation', { updates: [{ type: 'web', quantity: 3 }] });
      await until(() => servedBy(platform.routerPort, 'web.3'), 10);
      samples.push(Date.now() - started);
      await platform.api('PATCH', '/apps/bench/formation', { updates: [{ type: 'web', quantity: 2 }] });
      await until(async () => !(await platform.api('GET', '/apps/bench/processes')).some((p) => p.name === 'web.3'));
    }
  }
  const boots = [];
  for (let i = 0; i < 5; i++) boots.push(await bareBoot());
  return { cli: median(viaCli), api: median(viaApi), bare: median(boots) };
}

/** Whether the router's next answer comes from process `name` (fetch cannot set Host: node:http). */
function servedBy(port, name) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'bench.localhost' }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 && JSON.parse(body).process === name);
        } catch {
          resolve(false);
        }
      });
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** `node server.js` to accepting on its port, without any platform. */
async function bareBoot() {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, WEB, 'server.js')], { env: { PORT: String(port) }, stdio: 'ignore' });
  await waitUntilAccepting(port, 5);
  const ms = Date.now() - started;
  child.kill('SIGKILL');
  return ms;
}

function printTable(deploys, memory, scale, load) {
  const failed = (r) => `${r.failures} of ${r.requests} (${Math.round(r.rate)} req/s)`;
  const mib = (bytes) => `${(bytes / MIB).toFixed(2)} MiB`;
  const rows = [
    ['measure', 'Dozen', 'PM2 / floor'],
    [`failed requests during ${DEPLOYS} deploys, 2 web processes, 8 keep-alive clients`, failed(deploys.dozen), `PM2 reload: ${failed(deploys.pm2)}`],
    [`platform memory per managed process (RSS delta over ${MANAGED} \`sleep\`s)`, `${mib(memory.dozen.perProcess)} (${mib(memory.dozen.before)} -> ${mib(memory.dozen.after)})`, `PM2 daemon: ${mib(memory.pm2.perProcess)} (${mib(memory.pm2.before)} -> ${mib(memory.pm2.after)})`],
    ['sandbox helpers per process (bwrap, reaper, init; PSS)', mib(memory.dozen.helperPss), 'PM2: none (no sandbox)'],
    ['`ps:scale web=+1` to the new process serving', `${scale.cli} ms (API call: ${scale.api} ms)`, `bare boot of the app: ${scale.bare} ms`],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nRuntime (Dozen through its router; PM2 cluster mode, clients straight to its port). Load average ${load[0].toFixed(2)} -> ${load[1].toFixed(2)} on a shared machine.`);
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(port, intervalMs = 50) {
  await until(
    () =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    intervalMs,
  );
}

async function until(check, intervalMs = 100, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the bench waited too long for a condition');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
