// `npm run bench -- https`: Dozen's HTTPS listener beside nginx (Debian's) terminating TLS with the
// same certificate and key, both proxying to the same node:http backend over kept-alive connections,
// in one interleaved run: kept-alive requests/s, and new connections/s (`Connection: close`: one
// full TLS handshake per request; wrk resumes no sessions).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, cpuCount, cpuTicks, latency, startNginx, startNode, which } from './router.bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const CLOCK_TICKS = 100;
const MODES = [
  { name: 'keep-alive', headers: [] },
  { name: 'handshakes', headers: ['-H', 'Connection: close'] },
];

export async function run() {
  if (!which('wrk') && !aptInstall('wrk', 'wrk')) return console.log('https bench: wrk is not installed; nothing measured.');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const started = [];
  const dir = mkdtempSync(join(tmpdir(), 'dozen-bench-https-'));
  started.push(async () => rmSync(dir, { recursive: true, force: true }));
  try {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const backend = await startNode(join(here, 'support/hello-backend.js'), [], started);
    const dozen = await startNode(join(here, 'support/router-standalone.js'), [String(backend.port)], started, { BENCH_TLS_CERT: cert, BENCH_TLS_KEY: key });
    const nginx = await startNginx(backend.port, started, { cert, key });
    if (!nginx) return console.log('https bench: nginx is not installed; nothing measured (the bench is a comparison).');
    const targets = [{ name: 'dozen', port: dozen.httpsPort, pids: [dozen.pid] }, nginx];
    for (const target of targets) wrk(target.port, 1, []);
    const load = [loadavg()[0]];
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = {};
      for (const mode of MODES) for (const target of r % 2 === 0 ? targets : [...targets].reverse()) round[`${target.name} ${mode.name}`] = measure(target, mode);
      rounds.push(round);
    }
    load.push(loadavg()[0]);
    report(rounds, load);
  } finally {
    for (const stop of started.reverse()) await stop();
  }
}

function measure(target, mode) {
  const before = target.pids.map(cpuTicks);
  const result = wrk(target.port, SECONDS, mode.headers);
  const ticks = target.pids.reduce((sum, pid, i) => sum + cpuTicks(pid) - before[i], 0);
  return { ...result, cpuUsPerRequest: result.requests > 0 ? (ticks * (1e6 / CLOCK_TICKS)) / result.requests : NaN };
}

function wrk(port, seconds, headers) {
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', 'Host: bench.localhost', ...headers, `https://localhost:${port}/`], { encoding: 'utf8' });
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  if (/Non-2xx or 3xx responses/.test(out) || (/Socket errors: (.*)/.exec(out)?.[1] ?? '').match(/(read|write|timeout) [1-9]/)) throw new Error(`wrk saw errors on port ${port}:\n${out}`);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0), requests, p50: latency(out, '50%'), p99: latency(out, '99%') };
}

function report(rounds, load) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`\nHTTPS: wrk -t1 -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SECONDS} s, the same P-256 certificate and node:http backend (medians over rounds)`);
  console.log('mode         target   req/s     p50 ms   p99 ms   CPU µs/request   dozen/nginx');
  for (const mode of MODES) {
    for (const name of ['dozen', 'nginx']) {
      const rows = rounds.map((round) => round[`${name} ${mode.name}`]);
      const ratio = name === 'dozen' ? median(rounds.map((round) => round[`dozen ${mode.name}`].rps / round[`nginx ${mode.name}`].rps)).toFixed(2) : '';
      console.log(`${mode.name.padEnd(12)} ${name.padEnd(8)} ${median(rows.map((r) => r.rps)).toFixed(0).padStart(6)}  ${median(rows.map((r) => r.p50)).toFixed(2).padStart(7)}  ${median(rows.map((r) => r.p99)).toFixed(2).padStart(7)}   ${median(rows.map((r) => r.cpuUsPerRequest)).toFixed(1).padStart(13)}   ${ratio.padStart(10)}`);
    }
  }
  console.log('per round (req/s):');
  rounds.forEach((round, i) => console.log(`  ${i + 1}: ${Object.entries(round).map(([k, v]) => `${k} ${v.rps.toFixed(0)}`).join(', ')}`));
  console.log(`load average (1 min) before/after: ${load.map((l) => l.toFixed(2)).join(' / ')} on ${cpuCount()} cores; nginx runs one worker, as Dozen's router is one process.`);
}

