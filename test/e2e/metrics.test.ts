import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestPlatform } from './support/platform.js';

// Issue 16, the Metrics page's backend: the series the platform keeps per app (requests per
// status class, latency percentiles, memory, CPU and restarts per process, deploy markers),
// `dozen metrics` and GET /apps/:app/metrics, and the per-process series of /metrics.
// DOZEN_METRICS_STEP_SECONDS=2 so that steps end while the test runs.

const APP = 'gauge';
const REQUESTS = 40;
const SCRAPE_TOKEN = 'prometheus-scrape-token-16';

interface Metrics {
  app: string;
  stepSeconds: number;
  times: number[];
  status: Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', (number | null)[]>;
  latencyMs: Record<'p50' | 'p95' | 'p99', (number | null)[]>;
  processes: { name: string; memoryBytes: (number | null)[]; cpuPercent: (number | null)[]; restarts: (number | null)[] }[];
  deploys: { version: number; createdAt: string; description: string; status: string }[];
}

const total = (column: (number | null)[]) => column.reduce((sum: number, n) => sum + (n ?? 0), 0);

describe('metrics: the series of an app, its deploy markers and the per-process gauges', () => {
  let platform: TestPlatform;
  const metrics = async (...args: string[]) => JSON.parse((await platform.ok(['metrics', '-a', APP, '--json', ...args])).stdout) as Metrics;

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_METRICS_STEP_SECONDS: '2', DOZEN_METRICS_TOKEN: SCRAPE_TOKEN });
    await platform.ok(['apps:create', APP]);
    await platform.ok(['deploy', 'examples/node-web', '-a', APP]);
    await platform.ok(['ps:scale', 'worker=1', '-a', APP]);
    await eventually(async () => expect((await platform.ok(['ps', '-a', APP])).stdout).toMatch(/worker\.1:\s+up/));
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('counts a bounded load in the current minute, with plausible latencies, and the memory and CPU of each process', async () => {
    // Four clients, ten requests each, through the router.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < REQUESTS / 4; i++) expect((await platform.http(APP, `/load/${i}`)).status).toBe(200);
      }),
    );
    const minute = await eventually(async () => {
      const m = await metrics('--since', '2m', '--step', '60');
      expect(total(m.status['2xx'])).toBe(REQUESTS);
      return m;
    });
    expect(minute.stepSeconds).toBe(60);
    // The load took a few seconds: it is in the step in progress, or that and the one before.
    expect(total(minute.status['2xx'].slice(-2))).toBe(REQUESTS);
    // The last point is the minute in progress.
    const age = Date.now() / 1000 - (minute.times.at(-1) as number);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(70);
    for (const cls of ['1xx', '3xx', '4xx', '5xx'] as const) expect(total(minute.status[cls])).toBe(0);

    // At the recording step (2 s), the same requests spread over a few points, each with its percentiles.
    const fine = await metrics('--since', '2m', '--step', '2');
    expect(fine.stepSeconds).toBe(2);
    expect(total(fine.status['2xx'])).toBe(REQUESTS);
    const busy = fine.times.map((_, i) => i).filter((i) => (fine.status['2xx'][i] ?? 0) > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const i of busy) {
      const [p50, p95, p99] = [fine.latencyMs.p50[i], fine.latencyMs.p95[i], fine.latencyMs.p99[i]] as number[];
      expect(p50).toBeGreaterThan(0);
      expect(p50).toBeLessThanOrEqual(p95 as number);
      expect(p95).toBeLessThanOrEqual(p99 as number);
      expect(p99).toBeLessThan(1000);
    }

    expect(fine.processes.map((p) => p.name)).toEqual(['web.1', 'worker.1']);
    for (const p of fine.processes) {
      expect(p.memoryBytes.filter((n) => n !== null).at(-1), p.name).toBeGreaterThan(5 * 1024 * 1024);
      expect(p.cpuPercent.some((n) => n !== null && n > 0), p.name).toBe(true);
      expect(total(p.restarts), p.name).toBe(0);
    }
  });

  it('puts each release on the timeline as a deploy marker', async () => {
    await platform.ok(['deploy', 'examples/node-web', '-a', APP]);
    const m = await metrics('--since', '10m');
    expect(m.deploys.map((d) => d.version)).toEqual([1, 2]);
    expect(m.deploys[1]?.description).toMatch(/^Deploy/);
    expect(Date.parse(m.deploys[1]?.createdAt as string)).toBeGreaterThan(Date.now() - 120_000);
    // The table shows the same.
    const text = (await platform.ok(['metrics', '-a', APP, '--since', '10m'])).stdout;
    expect(text).toMatch(/^v2\s+\S+\s+Deploy/m);
    expect(text).toMatch(/^web\.1\s+\d+\.\d MB/m);
  });

  it('exposes the memory, CPU time and restarts of each process to Prometheus', async () => {
    const text = await eventually(async () => {
      const response = await fetch(`${platform.apiUrl}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
      const body = await response.text();
      expect(body).toMatch(/^dozen_process_memory_bytes\{app="gauge",process="web\.1",release="2"\} /m);
      return body;
    });
    const value = (name: string, process: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{app="${APP}",process="${process}",`));
      expect(line, `${name} of ${process}:\n${text}`).toBeDefined();
      return Number(line?.split(' ').at(-1));
    };
    for (const process of ['web.1', 'worker.1']) {
      expect(value('dozen_process_memory_bytes', process)).toBeGreaterThan(5 * 1024 * 1024);
      expect(value('dozen_process_cpu_seconds_total', process)).toBeGreaterThan(0);
      expect(value('dozen_process_restarts_total', process)).toBe(0);
      expect(value('dozen_process_up', process)).toBe(1);
    }
    expect(text).toMatch(/^dozen_router_requests_total\{app="gauge",status="2xx"\} 4\d$/m);
  });

  it('counts a crash as a restart of the process, in the series and in /metrics', async () => {
    const processes = JSON.parse((await platform.ok(['ps', '-a', APP, '--json'])).stdout) as { name: string; pid: number }[];
    const worker = processes.find((p) => p.name === 'worker.1');
    expect(worker?.pid).toBeGreaterThan(1);
    process.kill(worker?.pid as number, 'SIGKILL');
    const restarted = await eventually(async () => {
      const m = await metrics('--since', '2m', '--step', '2');
      const series = m.processes.find((p) => p.name === 'worker.1');
      expect(total(series?.restarts ?? [])).toBe(1);
      return m;
    });
    expect(total(restarted.processes.find((p) => p.name === 'web.1')?.restarts ?? [])).toBe(0);
    const text = await (await fetch(`${platform.apiUrl}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).text();
    expect(text).toMatch(/^dozen_process_restarts_total\{app="gauge",process="worker\.1",release="2"\} 1$/m);
  });

  it('keeps the series across a restart of the control plane (the edge keeps them)', async () => {
    platform = await platform.restart();
    expect(platform.logs).toContain('Adopted the running edge');
    expect(total((await metrics('--since', '10m', '--step', '60')).status['2xx'])).toBe(REQUESTS);
  });

  it('refuses a since it cannot read, naming it', async () => {
    const result = await platform.fails(['metrics', '-a', APP, '--since', 'yesterday'], 'METRICS_QUERY_INVALID');
    expect(result.stderr).toContain('"yesterday"');
  });
});
