// `npm run bench -- scorecard`: what the twelve-factor scorecard adds to a warm redeploy (issue 18,
// acceptance 4: <= 5 %), measured two ways.
// 1. A/B: two platforms side by side, one with DOZEN_SCORECARD=off; the same app is redeployed on
//    each in turn (a code change, dependencies unchanged), the order alternating (A B B A ...), so
//    that the load of the machine falls on both alike. Time: from the CLI call until the new
//    release answers through the router. Median, trimmed mean (10 % off each end), interquartile
//    range, and the median of the per-pair ratios.
// 2. In the deploy (robust to a loaded machine): the platform times the scorecard's own work on each
//    deploy's path (the source scan and static checks in the build; the score line's evidence query,
//    grading and line at the end) and logs it at debug level (`scorecard cost`); the bench reads
//    those lines. Runtime evidence is collected on both sides (DOZEN_SCORECARD does not turn it off):
//    its one step on the path to "up" (the LISTEN addresses from /proc when a web process accepts)
//    is timed here directly, the edge's own code on a running web process of the app.
// Apps: examples/node-web (no dependencies: the platform's own cost, where the scorecard weighs
// most) and bench/apps/deps-web (express). BENCH_RUNS (default 25) pairs per app.
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startPlatform } from './support/platform.js';

const RUNS = Number(process.env.BENCH_RUNS || 25);
const APPS = [
  { name: 'node-web', dir: join(ROOT, 'examples', 'node-web') },
  { name: 'deps-web', dir: join(ROOT, 'bench', 'apps', 'deps-web') },
];

export async function run() {
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-bench-score-'));
  const costs = [];
  const onLine = (line) => {
    if (!line.includes('"scorecard cost"')) return;
    try {
      costs.push(JSON.parse(line));
    } catch {
      // not a whole JSON line: not ours
    }
  };
  const env = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', DOZEN_LOG_LEVEL: 'debug' };
  // Two platforms on one host need two app network ranges (a start sweeps its whole range): two
  // /22s of their own, apart from the default range and the tests' 10.214.0.0/16.
  const on = await startPlatform({ ...env, DOZEN_SCORECARD: 'on', DOZEN_APP_NETWORK: '10.215.0.0/22' }, undefined, { onLine });
  const off = await startPlatform({ ...env, DOZEN_SCORECARD: 'off', DOZEN_APP_NETWORK: '10.215.4.0/22' }, undefined, { onLine });
  try {
    const rows = [];
    for (const app of APPS) rows.push({ app, ...(await measure({ on, off }, scratch, app, costs)) });
    print(rows, await evidenceProbe(on.edgePid()));
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(platforms, scratch, { name, dir }, costs) {
  const times = { on: [], off: [] };
  const cost = [];
  const sources = {};
  const versions = {};
  for (const side of ['on', 'off']) {
    sources[side] = join(scratch, `${name}-${side}`);
    cpSync(dir, sources[side], { recursive: true, filter: (src) => !src.includes('node_modules') });
    await platforms[side].cli(['apps:create', name]);
    // The first deploy fills the build cache, the second warms the platform: every measured one is warm.
    for (const n of [1, 2]) {
      appendFileSync(join(sources[side], 'server.js'), `// warm-up ${n}\n`);
      await platforms[side].cli(['deploy', sources[side], '-a', name]);
    }
    versions[side] = 2;
  }
  for (let i = 0; i < RUNS; i++) {
    // A B B A: neither side always follows the other.
    for (const side of i % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
      appendFileSync(join(sources[side], 'server.js'), `// change ${i}\n`);
      versions[side] += 1;
      const platform = platforms[side];
      const started = performance.now();
      const output = await platform.cli(['deploy', sources[side], '-a', name]);
      if (side === 'on' !== output.includes('Twelve-factor:')) throw new Error(`the ${side} side's deploy output ${side === 'on' ? 'lacks' : 'has'} the score line:\n${output}`);
      while (!(await answers(platform.routerPort, name, `v${versions[side]}`))) await new Promise((r) => setTimeout(r, 5));
      times[side].push(performance.now() - started);
      if (side === 'on') cost.push(await costOf(costs, name, versions.on));
    }
  }
  if (costs.some((c) => c.app === name && c.release > 2 && !cost.includes(c))) throw new Error(`the off side logged a scorecard cost for ${name}`);
  return { times, cost };
}

/** The platform's `scorecard cost` line of release v`release` of `app` (its log may trail the CLI by a moment). */
async function costOf(costs, app, release) {
  for (let waited = 0; waited < 5000; waited += 5) {
    const found = costs.find((c) => c.app === app && c.release === release);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no "scorecard cost" line for ${app} v${release} (is DOZEN_LOG_LEVEL=debug passed on?)`);
}

/**
 * The evidence step on the path to "up", ProcessEvidence.bound (the LISTEN addresses read from
 * /proc/PID/net/tcp{,6}, one record reported), as the edge runs it on a web process of `edgePid`
 * (the listening descendant with the smallest table: an app's own network namespace). Median of 200, ms.
 */
async function evidenceProbe(edgePid) {
  const { ProcessEvidence } = await import(join(ROOT, 'packages', 'platform', 'dist', 'runtime', 'local', 'process-evidence.js'));
  const web = descendants(edgePid)
    .map((pid) => ({ pid, rows: tcpRows(pid) }))
    .filter((p) => p.rows.some((row) => row.state === '0A'))
    .sort((a, b) => a.rows.length - b.rows.length)[0];
  if (!web) throw new Error(`no listening app process under the edge (pid ${edgePid})`);
  const port = web.rows.find((row) => row.state === '0A').port;
  const probe = new ProcessEvidence({ pids: () => [web.pid], report: () => undefined });
  probe.spawned();
  const ms = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const addresses = probe.bound(port, true);
    ms.push(performance.now() - started);
    if (addresses.length === 0) throw new Error(`the probe did not see pid ${web.pid} listen on ${port}`);
  }
  return { ms: quantile(ms, 0.5), rows: web.rows.length };
}

function descendants(root) {
  const found = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop();
    for (const tid of safe(() => readdirSync(`/proc/${pid}/task`), [])) {
      const children = safe(() => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8'), '').split(' ').filter(Boolean).map(Number);
      found.push(...children);
      pending.push(...children);
    }
  }
  return found;
}

/** The sockets of the network namespace of `pid` (/proc/PID/net/tcp and tcp6). */
function tcpRows(pid) {
  return ['tcp', 'tcp6']
    .flatMap((file) => safe(() => readFileSync(`/proc/${pid}/net/${file}`, 'utf8'), '').split('\n').slice(1))
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return { port: parseInt(local.split(':')[1], 16), state };
    });
}

function safe(read, fallback) {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
};
const trimmedMean = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
};
const s = (ms) => `${(ms / 1000).toFixed(3)} s`;
const m = (ms) => `${ms.toFixed(2)} ms`;
const summary = (xs) => `${s(quantile(xs, 0.5))} / ${s(trimmedMean(xs))} (IQR ${s(quantile(xs, 0.25))}-${s(quantile(xs, 0.75))})`;

function print(rows, probe) {
  console.log(`\n## scorecard: warm redeploy with the scorecard beside the same deploy without it (DOZEN_SCORECARD=off; ${RUNS} pairs per app, alternating)`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared: numbers vary with other work)\n`);
  console.log('| app | with: median / trimmed mean (IQR) | without: median / trimmed mean (IQR) | ratio of medians | ratio of trimmed means | per-pair ratio: median (IQR) |');
  console.log('|---|---|---|---|---|---|');
  for (const { app, times } of rows) {
    const pairs = times.on.map((t, i) => t / times.off[i]);
    const r = (x) => x.toFixed(3);
    console.log(`| ${app.name} | ${summary(times.on)} | ${summary(times.off)} | ${r(quantile(times.on, 0.5) / quantile(times.off, 0.5))} | ${r(trimmedMean(times.on) / trimmedMean(times.off))} | ${r(quantile(pairs, 0.5))} (${r(quantile(pairs, 0.25))}-${r(quantile(pairs, 0.75))}) |`);
  }
  console.log(`\nWhat the scorecard itself took inside each deploy (the platform's \`scorecard cost\` log line), median (90th percentile); runtime evidence's step on the path (collected on both sides): ${m(probe.ms)} per web process start, ProcessEvidence.bound timed on a running web process (its namespace: ${probe.rows} sockets; median of 200):\n`);
  console.log('| app | static checks (scan + checks) | score line (evidence query + grading) | scorecard | warm redeploy with it (median) | share: scorecard | share: scorecard + evidence | target <= 5 % |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { app, times, cost } of rows) {
    const of = (key) => cost.map((c) => c[key]);
    const deploy = quantile(times.on, 0.5);
    const share = quantile(of('scorecardMs'), 0.5) / deploy;
    const withEvidence = share + probe.ms / deploy;
    const cell = (key) => `${m(quantile(of(key), 0.5))} (${m(quantile(of(key), 0.9))})`;
    const pct = (x) => `${(x * 100).toFixed(2)} %`;
    console.log(`| ${app.name} | ${cell('staticMs')} | ${cell('scoreLineMs')} | ${cell('scorecardMs')} | ${s(deploy)} | ${pct(share)} | ${pct(withEvidence)} | ${withEvidence <= 0.05 ? 'met' : 'NOT met'} |`);
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
