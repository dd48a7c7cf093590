// `npm run bench -- router`: the router's overhead against its floor (the backend directly) and a
// peer (nginx as a keep-alive reverse proxy), in one interleaved run: every round measures every
// target once, in a rotating order, so that load from elsewhere on the machine spreads over all.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const HOST = 'bench.localhost';
const CLOCK_TICKS = 100;

export async function run() {
  if (!which('wrk') && !aptInstall('wrk', 'wrk')) {
    console.log('router bench: wrk is not installed and could not be installed (apt-get install wrk, as root); nothing measured.');
    return;
  }
  if (!existsSync(join(root, 'packages/platform/dist/router/http-router.js'))) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  const started = [];
  try {
    const backend = await startNode(join(here, 'support/hello-backend.js'), [], started);
    const targets = [{ name: 'direct', port: backend.port, pids: [backend.pid] }];
    const dozen = await startNode(join(here, 'support/router-standalone.js'), [String(backend.port)], started);
    targets.push({ name: 'dozen', port: dozen.port, pids: [dozen.pid] });
    const nginx = await startNginx(backend.port, started);
    if (nginx) targets.push(nginx);
    for (const target of targets) wrk(target.port, 1);
    const load = [loadavg()[0]];
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = targets.map((_, i) => targets[(i + r) % targets.length]);
      const round = {};
      for (const target of order) round[target.name] = measure(target);
      rounds.push(round);
    }
    load.push(loadavg()[0]);
    report(targets, rounds, load, Boolean(nginx));
    const capped = await startNode(join(here, 'support/router-standalone.js'), [String(backend.port), String(OVERLOAD_CAP)], started);
    reportOverload(await overload(capped.port));
  } finally {
    for (const stop of started.reverse()) await stop();
  }
}

const OVERLOAD_CAP = 40;

/**
 * At its connection limit the router answers a new connection with a 503 at once instead of
 * queueing it: with OVERLOAD_CAP connections held open, 50 more requests, one after another, each
 * timed from connect to the 503. (The e2e test checks that it is a 503; how fast is this number.)
 */
async function overload(port) {
  const { connect } = await import('node:net');
  const open = () => new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
  const held = [];
  for (let i = 0; i < OVERLOAD_CAP; i++) held.push(await open());
  await new Promise((r) => setTimeout(r, 100));
  const times = [];
  try {
    for (let i = 0; i < 50; i++) {
      const started = process.hrtime.bigint();
      const answer = await new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
          if (text.includes('\r\n')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
      });
      if (!answer.startsWith('HTTP/1.1 503 ')) throw new Error(`expected a 503 at the connection limit, got: ${answer.slice(0, 80)}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    for (const socket of held) socket.destroy();
  }
  return times.sort((a, b) => a - b);
}

function reportOverload(times) {
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`\nRouter at its connection limit (${OVERLOAD_CAP} held open): 503 OVERLOADED after p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms (connect to status line, ${times.length} requests; it is not queued).`);
}

function measure(target) {
  const before = target.pids.map(cpuTicks);
  const result = wrk(target.port, SECONDS);
  const ticks = target.pids.reduce((sum, pid, i) => sum + cpuTicks(pid) - before[i], 0);
  return { ...result, cpuUsPerRequest: result.requests > 0 ? (ticks * (1e6 / CLOCK_TICKS)) / result.requests : NaN };
}

function wrk(port, seconds) {
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `Host: ${HOST}`, `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1];
  if (errors || socketErrors) throw new Error(`wrk saw errors on port ${port}:\n${out}`);
  return { rps, requests, p50: latency(out, '50%'), p99: latency(out, '99%') };
}

export function latency(out, percentile) {
  const match = new RegExp(`\\s${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(out);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function report(targets, rounds, load, hasNginx) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ratios = (name) => rounds.map((round) => round[name].rps / round.direct.rps);
  console.log(`\nRouter: wrk -t1 -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SECONDS} s, same node:http backend (medians over rounds)`);
  console.log('target   req/s      p50 ms   p99 ms   ratio to direct   CPU µs/request (the proxy itself)');
  for (const { name } of targets) {
    const rows = rounds.map((round) => round[name]);
    const cpu = name === 'direct' ? '' : median(rows.map((r) => r.cpuUsPerRequest)).toFixed(1);
    console.log(`${name.padEnd(8)} ${median(rows.map((r) => r.rps)).toFixed(0).padStart(7)}  ${median(rows.map((r) => r.p50)).toFixed(2).padStart(7)}  ${median(rows.map((r) => r.p99)).toFixed(2).padStart(7)}   ${median(ratios(name)).toFixed(2).padStart(15)}   ${cpu.padStart(6)}`);
  }
  console.log('per round (req/s):');
  rounds.forEach((round, i) => console.log(`  ${i + 1}: ${targets.map(({ name }) => `${name} ${round[name].rps.toFixed(0)}`).join(', ')}`));
  console.log(`load average (1 min) before/after: ${load.map((l) => l.toFixed(2)).join(' / ')} on ${cpuCount()} cores. On a shared machine other work moves every number; ratios within a round are the fairer comparison.`);
  if (!hasNginx) console.log('nginx is not installed (and could not be installed with apt): no peer row.');
}

export function startNode(script, args, started, env = {}) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  started.push(() => stopChild(child));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ ...JSON.parse(line), pid: child.pid });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/**
 * nginx with its own config and master on a free port, in a temp dir; the system nginx is never
 * touched. With `tls` ({ cert, key }: PEM files) it terminates TLS with the router's protocols and ciphers.
 */
export async function startNginx(backendPort, started, tls = null) {
  const binary = which('nginx') ?? installNginx();
  if (!binary) return null;
  const dir = mkdtempSync(join(tmpdir(), 'dozen-bench-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(dir, sub));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, backendPort, tls));
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  started.push(async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 50 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
  const workers = childrenOf(child.pid);
  return { name: 'nginx', port, pids: [child.pid, ...workers] };
}

/** SIGTERM to a child we started, resolved once it has exited (nginx's master takes its workers along). */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const TLS_CIPHERS = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

function nginxConfig(dir, port, backendPort, tls) {
  const listen = tls
    ? `listen 127.0.0.1:${port} ssl;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ${TLS_CIPHERS};`
    : `listen 127.0.0.1:${port};`;
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:${backendPort}; keepalive 64; }
  server {
    ${listen}
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;
}

function installNginx() {
  return aptInstall('nginx-light', 'nginx');
}

/** Installs a Debian package when running as root; the path of `command` afterwards, or null. */
export function aptInstall(pkg, command) {
  if (process.getuid?.() !== 0) return null;
  spawnSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return which(command);
}

export function which(command) {
  const result = spawnSync('sh', ['-c', 'command -v "$0"', command], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export function cpuTicks(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

export function cpuCount() {
  return readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function accepts(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
