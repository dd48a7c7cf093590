import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import type { LogEvent, ProcessStatus } from '../core/model.js';
import type { OneOff, OneOffRequest, Runtime, RunTarget } from '../core/ports/runtime.js';
import { EdgeClient } from './edge-client.js';
import { connectEdge } from './edge-launcher.js';
import { EdgeServer } from './edge-server.js';
import type { EdgeServices } from './edge-services.js';
import { LogForwarder } from './log-forwarder.js';
import { EvidenceForwarder } from './evidence-forwarder.js';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { PROTOCOL, type EdgeHello } from './protocol.js';
import { RemoteEdge } from './remote-edge.js';

// The link between the control plane and the edge, over a real Unix socket, with a recording
// runtime on the edge's side (the real one is exercised end to end in test/e2e).

const HELLO: EdgeHello = { protocol: PROTOCOL, version: 'test', pid: 1, startedAt: '', routerPort: 5000, routerHttpsPort: 0, notes: { sandbox: { kind: 'none', note: '' }, network: { isolated: false, note: '' }, limits: '' } };

class RecordingRuntime implements Runtime {
  calls: string[] = [];
  rolloutSignal: AbortSignal | null = null;
  converge(app: string, target: RunTarget | null): void {
    this.calls.push(`converge ${app} ${target?.release ?? 'null'}`);
  }
  rollout(target: RunTarget, progress: (line: string) => void, abandoned?: AbortSignal): Promise<void> {
    this.rolloutSignal = abandoned ?? null;
    progress(`starting v${target.release}`);
    if (target.release === 13) return Promise.reject(new DozenError('RELEASE_BOOT_FAILED', 'web.1 crashed'));
    if (target.release === 99) return new Promise(() => undefined);
    return Promise.resolve();
  }
  async list(app: string): Promise<ProcessStatus[]> {
    return [{ name: `web.1 of ${app}` } as ProcessStatus];
  }
  async observe() {
    return { processes: [], generations: { web: 2 } };
  }
  async restart(): Promise<void> {}
  async stop(): Promise<void> {}
  async remove(): Promise<void> {}
  runOneOff(_target: RunTarget, request: OneOffRequest): OneOff {
    let done: (exit: { code: number | null; signal: string | null }) => void = () => undefined;
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => (done = resolve));
    return {
      name: request.name ?? 'run.1',
      writeStdin: (chunk) => request.onStdout(new TextEncoder().encode(`echo:${new TextDecoder().decode(chunk)}`)),
      endStdin: () => {
        request.onStderr(new TextEncoder().encode('bye'));
        setTimeout(() => done({ code: 3, signal: null }), 10);
      },
      kill: () => done({ code: null, signal: 'SIGKILL' }),
      resize: () => undefined,
      pauseOutput: () => undefined,
      resumeOutput: () => undefined,
      exit,
    };
  }
  async shutdown(): Promise<void> {}
}

const target = (release: number) => ({ app: 'shop', release }) as RunTarget;

describe('edge link', () => {
  let dir: string;
  let runtime: RecordingRuntime;
  let forwarder: LogForwarder;
  let evidence: EvidenceForwarder;
  let server: EdgeServer;
  let logs: LogEvent[];
  let domains: string[];
  let hello: EdgeHello;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozen-edge-link-'));
    runtime = new RecordingRuntime();
    forwarder = new LogForwarder(3);
    evidence = new EvidenceForwarder(2);
    logs = [];
    domains = [];
    hello = HELLO;
    const services: EdgeServices = {
      runtime,
      domains: { setDomains: (app, hostnames) => domains.push(`${app}=${hostnames.join(',')}`), setMaintenance: (app, on) => domains.push(`${app} maintenance=${on}`) },
      tls: { setCertificates: () => undefined, setHttpsPolicy: () => undefined, setChallenge: () => undefined, removeChallenge: () => undefined },
      metrics: { collect: () => [{ name: 'x', help: 'x', type: 'counter', samples: [] }] },
      series: {
        series: async (app, query) => {
          if (app === 'gone') throw new DozenError('METRICS_QUERY_INVALID', 'step=7 is not a whole multiple');
          return { stepSeconds: query.stepSeconds ?? 60, times: [query.sinceMs / 1000], status: { '1xx': [0], '2xx': [3], '3xx': [0], '4xx': [0], '5xx': [0] }, latencyMs: { p50: [1], p95: [2], p99: [3] }, processes: [] };
        },
      },
      setApiEndpoint: () => undefined,
      hello: () => hello,
      stopApps: async () => undefined,
    };
    server = new EdgeServer(services, { forwarder, evidence });
    await server.listen(join(dir, 'edge.sock'));
  });
  afterEach(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async () => {
    const client = await EdgeClient.connect(join(dir, 'edge.sock'), (records) => logs.push(...records));
    return new RemoteEdge(client, join(dir, 'edge.sock'), HELLO, async () => ({ client, hello: HELLO }));
  };

  it('carries notices in order with calls, answers, progress and catalogued errors', async () => {
    const edge = await connect();
    edge.runtime.converge('shop', target(4));
    edge.domains.setDomains('shop', ['www.shop.test']);
    edge.domains.setMaintenance('shop', true);
    expect(await edge.runtime.list('shop')).toEqual([{ name: 'web.1 of shop' }]);
    expect(runtime.calls).toEqual(['converge shop 4']);
    expect(domains).toEqual(['shop=www.shop.test', 'shop maintenance=true']);
    expect(await edge.runtime.observe('shop')).toEqual({ processes: [], generations: { web: 2 } });
    expect(await edge.metrics.collect()).toHaveLength(1);
    expect(await edge.series.series('shop', { sinceMs: 120_000, stepSeconds: 300 })).toMatchObject({ stepSeconds: 300, times: [120], status: { '2xx': [3] } });
    await expect(edge.series.series('gone', { sinceMs: 0, stepSeconds: 7 })).rejects.toMatchObject({ code: 'METRICS_QUERY_INVALID' });
    const progress: string[] = [];
    await edge.runtime.rollout(target(5), (line) => progress.push(line));
    expect(progress).toEqual(['starting v5']);
    const failed = await edge.runtime.rollout(target(13), () => undefined).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DozenError);
    expect(failed).toMatchObject({ code: 'RELEASE_BOOT_FAILED', message: 'web.1 crashed' });
    await edge.runtime.shutdown();
  });

  it('carries the runtime evidence (protocol 2); while no control plane is connected only the newest per release, process and kind waits, bounded', async () => {
    const record = (process: string, ms: number): EvidenceRecord => ({ appId: 'a1', app: 'shop', release: 3, process, at: '', kind: 'boot', value: { ms, ready: true } });
    evidence.report(record('web.1', 100));
    evidence.report(record('web.2', 200));
    evidence.report(record('web.1', 150));
    evidence.report(record('web.3', 300));
    const received: EvidenceRecord[] = [];
    const client = await EdgeClient.connect(join(dir, 'edge.sock'), () => undefined, (records) => received.push(...records));
    await expect.poll(() => received.length).toBe(2);
    expect(received.map((r) => `${r.process} ${(r.value as { ms: number }).ms}`)).toEqual(['web.1 150', 'web.3 300']);
    evidence.report(record('web.2', 250));
    await expect.poll(() => received.length).toBe(3);
    expect(received[2]).toMatchObject({ process: 'web.2', kind: 'boot', value: { ms: 250, ready: true } });
    client.close();
  });

  it('runs a one-off over its own socket: stdin in, stdout and stderr out, then the exit', async () => {
    const edge = await connect();
    const out: string[] = [];
    const run = edge.runtime.runOneOff(target(4), { command: ['cat'], onStdout: (c) => out.push(`out:${Buffer.from(c)}`), onStderr: (c) => out.push(`err:${Buffer.from(c)}`) });
    expect(run.name).toMatch(/^run\.\d+$/);
    run.writeStdin(new TextEncoder().encode('hi'));
    run.endStdin();
    expect(await run.exit).toEqual({ code: 3, signal: null });
    expect(out).toEqual(['out:echo:hi', 'err:bye']);
    await edge.runtime.shutdown();
  });

  it('a control plane that goes away: its rollout in flight is abandoned, its calls fail with EDGE_UNAVAILABLE', async () => {
    const edge = await connect();
    const pending = edge.runtime.rollout(target(99), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.rolloutSignal?.aborted).toBe(false);
    edge.client.close();
    await expect(pending).rejects.toMatchObject({ code: 'EDGE_UNAVAILABLE' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.rolloutSignal?.aborted).toBe(true);
    await expect(edge.runtime.list('shop')).rejects.toMatchObject({ code: 'EDGE_UNAVAILABLE' });
  });

  it('a control connection replaced by a newer one does not take the edge back at once (a failover is not a tug of war)', async () => {
    const socket = join(dir, 'edge.sock');
    const reconnects: string[] = [];
    const first = await EdgeClient.connect(socket, () => undefined);
    const old = new RemoteEdge(first, socket, HELLO, async () => {
      reconnects.push('reconnect');
      return { client: await EdgeClient.connect(socket, () => undefined), hello: HELLO };
    });
    const said: string[] = [];
    old.stayConnected((why) => said.push(why), async () => undefined, 400);
    const newer = await connect();
    await first.closed;
    expect(first.replaced).toBe(true);
    expect(said).toEqual([expect.stringContaining('another control plane took over the edge')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reconnects).toEqual([]);
    expect(await newer.runtime.list('shop')).toEqual([{ name: 'web.1 of shop' }]);
    // Still not let go after the wait: it tries again (its lease would have been lost by then).
    await expect.poll(() => reconnects).toEqual(['reconnect']);
    await old.runtime.shutdown();
  });

  it('an edge that speaks another protocol is refused (EDGE_PROTOCOL_MISMATCH), and keeps running', async () => {
    hello = { ...HELLO, protocol: PROTOCOL + 1, pid: 4242, version: '9.9.9' };
    const launch = { socketPath: join(dir, 'edge.sock'), logFile: join(dir, 'edge.log'), entry: '/nonexistent', env: {}, onLogs: () => undefined };
    await expect(connectEdge(launch)).rejects.toMatchObject({ code: 'EDGE_PROTOCOL_MISMATCH', message: expect.stringContaining('pid 4242, Dozen 9.9.9') });
    hello = HELLO;
    const { adopted } = await connectEdge(launch);
    expect(adopted).toBe(true);
  });

  it('log lines wait while no control plane is connected (the oldest beyond the limit go, and are counted), then arrive', async () => {
    for (let i = 1; i <= 5; i++) forwarder.append({ app: 'shop', source: 'app', process: 'web.1', message: `line ${i}` });
    expect(forwarder.waitingLines).toBe(3);
    await connect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs.map((l) => l.message)).toEqual(['2 log lines were lost while the platform was down (more than 3 waited)', 'line 3', 'line 4', 'line 5']);
    forwarder.append({ app: 'shop', source: 'router', process: 'router', message: 'live' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs.at(-1)?.message).toBe('live');
  });
});
