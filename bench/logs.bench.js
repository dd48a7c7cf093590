// `npm run bench -- logs`: the log pipeline of a real `dozen up`, measured in one run.
// - ingest: 4 processes flooding stdout; lines/s from the collection timestamps of the lines
// - app cost: one process writing 64 MB of 100-byte lines to stdout under Dozen vs to /dev/null
// - tail latency: write (time in the line) -> a tailing SSE client, p50/p99 over 1000 lines
// - drain: lines/s delivered to a local syslog sink (RFC 6587 frames counted by the sink)
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DozenClient } from '../packages/contracts/dist/index.js';
import { startPlatform } from './support/platform.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
const FIXTURE = join(ROOT, 'test', 'e2e', 'fixtures', 'log-producer');
const APP = 'logbench';
const FLOOD_LINES = 500_000;

export async function run() {
  const load = loadavg()[0].toFixed(2);
  const platform = await startPlatform({ DOZEN_DRAIN_ALLOW_LOOPBACK: '1', DOZEN_LOG_LINES: '5000000', DOZEN_LOG_MEGABYTES: '2000', DOZEN_GRACE_PERIOD: '5' });
  const { dataDir } = platform;
  try {
    const cli = (args) => runCli(platform, dataDir, args);
    const client = new DozenClient({ baseUrl: platform.apiUrl, token: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim() });
    await cli(['apps:create', APP]);
    await cli(['config:set', `FLOOD_LINES=${FLOOD_LINES}`, '-a', APP]);
    await cli(['deploy', FIXTURE, '-a', APP]);
    const rows = [];

    // 1. ingest from 4 flooding processes
    const before = await client.call('getLogStats', { params: { app: APP } });
    await cli(['ps:scale', 'flood=4', '-a', APP]);
    const done = await waitForLines(client, 'flood', 'flood done', 4, 300_000);
    const first = await firstLineAfter(client, before.lastId, 'flood');
    const lastMicros = Math.max(...done.map((l) => micros(l.time)));
    const ingestSeconds = (lastMicros - micros(first.time)) / 1e6;
    const ingested = 4 * (FLOOD_LINES + 1);
    rows.push(['ingest, 4 processes flooding stdout', `${fmt(ingested / ingestSeconds)} lines/s`, `${ingested} lines in ${ingestSeconds.toFixed(2)} s (target >= 200 000 lines/s)`]);
    await cli(['ps:scale', 'flood=0', '-a', APP]);

    // 2. the app's own write throughput: under Dozen vs /dev/null
    await cli(['ps:scale', 'firehose=1', '-a', APP]);
    const [under] = await waitForLines(client, 'firehose', /^firehose wrote/, 1, 300_000);
    await cli(['ps:scale', 'firehose=0', '-a', APP]);
    const devNull = await firehoseTo('devnull');
    const pipe = await firehoseTo('pipe');
    const underMbps = rate(under.message);
    const nullMbps = rate(devNull);
    rows.push(['app writing 64 MB to stdout, under Dozen', `${underMbps.toFixed(0)} MB/s`, `${fmt((underMbps * 1024 * 1024) / 100)} lines/s of 100 bytes`]);
    rows.push(['same app writing to /dev/null (floor)', `${nullMbps.toFixed(0)} MB/s`, `under Dozen the app writes at ${((underMbps / nullMbps) * 100).toFixed(1)} % of this`]);
    rows.push(['same app writing to a pipe nobody parses', `${rate(pipe).toFixed(0)} MB/s`, `a bare reader, no lines: under Dozen ${((underMbps / rate(pipe)) * 100).toFixed(0)} % of this`]);

    // 3. tail latency, write -> SSE client
    const latencies = await tailLatency(client, cli);
    rows.push(['tail latency p50 (write -> SSE client)', `${pct(latencies, 50).toFixed(2)} ms`, `${latencies.length} lines, one every 5 ms`]);
    rows.push(['tail latency p99', `${pct(latencies, 99).toFixed(2)} ms`, `max ${Math.max(...latencies).toFixed(2)} ms`]);

    // 4. drain throughput to a local syslog sink
    const drain = await drainThroughput(client, cli);
    rows.push(['drain to a local syslog sink (TCP)', `${fmt(drain.rate)} lines/s`, `${drain.delivered} delivered, ${drain.dropped} dropped (buffer ${drain.buffer}), sink counted ${drain.received}`]);

    printTable(rows, load);
  } finally {
    await platform.stop();
  }
}

function runCli(platform, dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DOZEN, ...args], { env: { PATH: process.env.PATH, HOME: dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: dataDir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`dozen ${args.join(' ')} failed:\n${out}`))));
  });
}

async function waitForLines(client, type, text, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = [];
    for (let i = 1; i <= count; i++) {
      const lines = await client.call('getLogs', { params: { app: APP }, query: { process: `${type}.${i}`, source: 'app', lines: 3 } });
      const hit = lines.find((l) => (typeof text === 'string' ? l.message === text : text.test(l.message)));
      if (hit) found.push(hit);
    }
    if (found.length === count) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} × ${text}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function firstLineAfter(client, afterId, type) {
  const stop = new AbortController();
  let found;
  try {
    for await (const line of client.tailLogs(APP, { after: afterId ?? '0', process: type, source: 'app', signal: stop.signal })) {
      found = line;
      stop.abort();
    }
  } catch (error) {
    if (!found) throw error;
  }
  return found;
}

function firehoseTo(where) {
  return new Promise((resolve, reject) => {
    const stdout = where === 'pipe' ? 'pipe' : openSync('/dev/null', 'w');
    const child = spawn(process.execPath, ['produce.js', 'firehose'], { cwd: FIXTURE, stdio: ['ignore', stdout, 'pipe'] });
    child.stdout?.resume();
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
      if (err.includes('firehose wrote')) {
        child.kill();
        resolve(err.trim());
      }
    });
    child.on('exit', (code) => code && !err.includes('firehose wrote') && reject(new Error(`firehose failed: ${err}`)));
  });
}

async function tailLatency(client, cli) {
  const latencies = [];
  const stop = new AbortController();
  const following = (async () => {
    for await (const line of client.tailLogs(APP, { lines: 0, process: 'ticker', source: 'app', signal: stop.signal })) {
      const received = performance.timeOrigin + performance.now();
      const match = /^tick (\d+\.\d+)$/.exec(line.message);
      if (match) latencies.push(received - Number(match[1]));
      if (latencies.length >= 1000) stop.abort();
    }
  })().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 300));
  await cli(['ps:scale', 'ticker=1', '-a', APP]);
  const deadline = Date.now() + 120_000;
  while (latencies.length < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  stop.abort();
  await following;
  await cli(['ps:scale', 'ticker=0', '-a', APP]);
  return latencies.sort((a, b) => a - b);
}

async function drainThroughput(client, cli) {
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  const server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const space = pending.indexOf(0x20);
        if (space < 0) break;
        const end = space + 1 + Number(pending.subarray(0, space).toString());
        if (pending.length < end) break;
        received += 1;
        lastAt = performance.now();
        if (firstAt === 0) firstAt = lastAt;
        pending = pending.subarray(end);
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  await cli(['drains:add', `syslog://127.0.0.1:${server.address().port}`, '-a', APP]);
  await cli(['ps:scale', 'flood=4', '-a', APP]);
  await waitForLines(client, 'flood', 'flood done', 4, 300_000);
  let drain;
  for (let i = 0; i < 600; i++) {
    [drain] = await client.call('listDrains', { params: { app: APP } });
    if (drain.queued === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await cli(['ps:scale', 'flood=0', '-a', APP]);
  server.close();
  return { rate: received / ((lastAt - firstAt) / 1000), delivered: drain.delivered, dropped: drain.dropped, received, buffer: 5000 };
}

const micros = (time) => Date.parse(time.slice(0, 19) + 'Z') * 1000 + Number(time.slice(20, 26));
const rate = (message) => {
  const [, mb, ms] = /wrote (\d+) MB in (\d+) ms/.exec(message);
  return Number(mb) / (Number(ms) / 1000);
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

function printTable(rows, load) {
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\nlogs bench (one run; ${cpus().length} cores, load average ${load} at start: the machine is shared, numbers move with other load)\n`);
  for (const [what, value, note] of rows) console.log(`  ${what.padEnd(widths[0])}  ${value.padStart(widths[1])}  ${note}`);
  console.log('');
}
