// `npm run bench -- limits`: what per-process cgroups buy and cost. App B's p99 through the router,
// idle and while app A spins on every core, with cgroups (CPU weight per size) and without
// (DOZEN_LIMITS=off), in one run; and how long `ps:scale web=+1` takes to serve, sandbox and
// cgroup included. Loopback only, bounded, cleans up after itself.
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { startPlatform } from './support/platform.js';

const FIXTURE = 'test/e2e/fixtures/limits';
const REQUESTS = 500;
const SCALES = 5;

export async function run() {
  const load = [loadavg()[0]];
  const rows = [];
  for (const [mode, env] of [['cgroups', {}], ['no limits', { DOZEN_LIMITS: 'off' }]]) {
    const platform = await startPlatform(env);
    try {
      rows.push({ mode, ...(await measure(platform)) });
    } finally {
      await platform.stop();
    }
  }
  load.push(loadavg()[0]);
  console.log(`\nLimits: B's latency through the router while A spins on ${cpus().length} threads (${REQUESTS} sequential requests each; load ${load.map((l) => l.toFixed(2)).join(' -> ')})`);
  console.log('| mode | idle p50 | idle p99 | A spinning p50 | A spinning p99 | p99 ratio | ps:scale web=+1 to serving (median) |');
  console.log('|------|---------:|---------:|---------------:|---------------:|----------:|------------------------------------:|');
  for (const r of rows) {
    console.log(`| ${r.mode} | ${r.idle.p50.toFixed(1)} ms | ${r.idle.p99.toFixed(1)} ms | ${r.busy.p50.toFixed(1)} ms | ${r.busy.p99.toFixed(1)} ms | ${(r.busy.p99 / r.idle.p99).toFixed(1)}x | ${r.scaleMs.toFixed(0)} ms |`);
  }
}

async function measure(platform) {
  for (const app of ['spin', 'calm']) {
    await platform.cli(['apps:create', app]);
    await platform.cli(['deploy', FIXTURE, '-a', app]);
  }
  await latencies(platform.routerPort, 'calm', 50);
  const idle = summary(await latencies(platform.routerPort, 'calm', REQUESTS));
  await platform.cli(['config:set', `SPIN_THREADS=${cpus().length}`, '-a', 'spin']);
  await platform.cli(['ps:scale', 'spinner=1', '-a', 'spin']);
  await new Promise((r) => setTimeout(r, 1000));
  const busy = summary(await latencies(platform.routerPort, 'calm', REQUESTS));
  await platform.cli(['ps:scale', 'spinner=0', '-a', 'spin']);
  return { idle, busy, scaleMs: await scaleUps(platform) };
}

/** `ps:scale web=+1` until the new process is up, SCALES times; the median. */
async function scaleUps(platform) {
  const times = [];
  for (let i = 2; i < 2 + SCALES; i += 1) {
    const started = performance.now();
    await platform.cli(['ps:scale', 'web+1', '-a', 'calm']);
    for (;;) {
      const processes = await platform.api('GET', '/apps/calm/processes');
      if (processes.find((p) => p.name === `web.${i}`)?.state === 'up') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - started);
  }
  await platform.cli(['ps:scale', 'web=1', '-a', 'calm']);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function latencies(port, app, count) {
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await get(port, `${app}.localhost`);
    times.push(performance.now() - started);
  }
  return times;
}

function get(port, host) {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end();
  });
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}
