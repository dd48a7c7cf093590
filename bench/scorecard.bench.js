// `npm run bench -- scorecard`: what the twelve-factor scorecard adds to a warm redeploy (issue 18,
// acceptance 4: <= 5 %). Two platforms run side by side, one with DOZEN_SCORECARD=off; the same
// app is redeployed on each in turn (a code change, dependencies unchanged), so that the load of
// the machine falls on both alike. Time: from the CLI call until the new release answers through
// the router. Apps: examples/node-web (no dependencies: the platform's own cost, where the
// scorecard weighs most) and bench/apps/deps-web (express). BENCH_RUNS (default 5) per side.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startPlatform } from './support/platform.js';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const APPS = [
  { name: 'node-web', dir: join(ROOT, 'examples', 'node-web') },
  { name: 'deps-web', dir: join(ROOT, 'bench', 'apps', 'deps-web') },
];

export async function run() {
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-bench-score-'));
  const env = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' };
  // Two platforms on one host need two app network ranges (a start sweeps its whole range): two
  // /22s of their own, apart from the default range and the tests' 10.214.0.0/16.
  const on = await startPlatform({ ...env, DOZEN_SCORECARD: 'on', DOZEN_APP_NETWORK: '10.215.0.0/22' });
  const off = await startPlatform({ ...env, DOZEN_SCORECARD: 'off', DOZEN_APP_NETWORK: '10.215.4.0/22' });
  try {
    const rows = [];
    for (const app of APPS) rows.push({ app, ...(await measure({ on, off }, scratch, app)) });
    print(rows);
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(platforms, scratch, { name, dir }) {
  const times = { on: [], off: [] };
  const sources = {};
  const versions = {};
  for (const side of ['on', 'off']) {
    sources[side] = join(scratch, `${name}-${side}`);
    cpSync(dir, sources[side], { recursive: true, filter: (src) => !src.includes('node_modules') });
    await platforms[side].cli(['apps:create', name]);
    // The first deploy fills the build cache: every measured one is warm.
    await platforms[side].cli(['deploy', sources[side], '-a', name]);
    versions[side] = 1;
  }
  for (let i = 0; i < RUNS; i++) {
    // Alternate which side goes first, so that neither always follows the other.
    for (const side of i % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
      appendFileSync(join(sources[side], 'server.js'), `// change ${i}\n`);
      versions[side] += 1;
      const platform = platforms[side];
      const started = performance.now();
      const output = await platform.cli(['deploy', sources[side], '-a', name]);
      if (side === 'on' !== output.includes('Twelve-factor:')) throw new Error(`the ${side} side's deploy output ${side === 'on' ? 'lacks' : 'has'} the score line:\n${output}`);
      while (!(await answers(platform.routerPort, name, `v${versions[side]}`))) await new Promise((r) => setTimeout(r, 5));
      times[side].push(performance.now() - started);
    }
  }
  return times;
}

function print(rows) {
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const s = (ms) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`\n## scorecard: warm redeploy with the scorecard beside the same deploy without it (DOZEN_SCORECARD=off; ${RUNS} runs each, median)`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared: numbers vary with other work)\n`);
  console.log('| app | with scorecard | without | ratio | target <= 1.05 |');
  console.log('|---|---|---|---|---|');
  for (const { app, on, off } of rows) {
    const ratio = med(on) / med(off);
    console.log(`| ${app.name} | ${s(med(on))} (${s(Math.min(...on))}-${s(Math.max(...on))}) | ${s(med(off))} (${s(Math.min(...off))}-${s(Math.max(...off))}) | ${ratio.toFixed(3)} | ${ratio <= 1.05 ? 'met' : 'NOT met'} |`);
  }
}

function answers(port, app, release) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `${app}.localhost` }, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 && JSON.parse(body).release === release);
        } catch {
          resolve(false);
        }
      });
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
