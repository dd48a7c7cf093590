import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, httpGet, TestPlatform, type HttpResult } from './support/platform.js';

interface ProbeBody {
  process: string;
  release: string;
}

/** A WebSocket through the router that records what it hears and how it ends. */
class Socket {
  readonly messages: string[] = [];
  closeCode: number | null = null;
  readonly ws: WebSocket;

  constructor(port: number, host: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { host } });
    this.ws.on('message', (m) => this.messages.push(String(m)));
    this.ws.on('close', (code) => (this.closeCode = code));
  }

  async opened(): Promise<{ hello: string; release: string }> {
    await new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    await eventually(async () => expect(this.messages.length).toBeGreaterThan(0));
    return JSON.parse(this.messages[0] as string) as { hello: string; release: string };
  }

  /** Sends `text` and waits for the echo: proof the tunnel is open end to end. */
  async echo(text: string): Promise<void> {
    this.ws.send(text);
    await eventually(async () => expect(this.messages).toContain(text), 5000, 20);
  }
}

/**
 * A request that stays in flight for `ms` on the app (its answer says which process served it);
 * the app sends its head at once, so the router's first-byte timeout does not apply.
 */
function slowRequest(port: number, host: string, ms: number): Promise<HttpResult> {
  return httpGet(port, host, `/slow?ms=${ms}&flush=1`);
}

/** Issue 5 acceptance, end to end: the real platform, the real CLI, examples/node-probe. */
/** The values of `names` (exact series, labels included) on the API's /metrics; a series not printed is an error. */
async function scrape(apiUrl: string, names: string[]): Promise<number[]> {
  const text = await new Promise<string>((resolve, reject) => {
    request(`${apiUrl}/metrics`, { headers: { authorization: 'Bearer prometheus-scrape-token-1' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
  return names.map((name) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (line === undefined) throw new Error(`${name} is not in /metrics:\n${text}`);
    return Number(line.slice(name.length + 1));
  });
}

describe('router: deploys, scaling, domains, metrics and logs through the real platform', () => {
  let platform: TestPlatform;
  const host = 'probe.localhost';
  const body = async (h = host) => {
    const response = await httpGet(platform.routerPort, h, '/');
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as ProbeBody;
  };
  const ok = (args: string[]) => platform.ok(args);

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_ROUTER_REQUEST_TIMEOUT: '5', DOZEN_METRICS_TOKEN: 'prometheus-scrape-token-1' });
    await ok(['apps:create', 'probe']);
    await ok(['deploy', 'examples/node-probe', '-a', 'probe']);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('a deploy with requests and a WebSocket in flight: they finish on the old process, the WebSocket lives until it drains, new requests go to the new one', async () => {
    const ws = new Socket(platform.routerPort, host);
    expect(await ws.opened()).toMatchObject({ hello: 'web.1', release: 'v1' });
    const slow = slowRequest(platform.routerPort, host, 8000);
    let errors = 0;
    let served = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const response = await httpGet(platform.routerPort, host, '/').catch(() => null);
        if (response?.status === 200) served++;
        else errors++;
      }
    })();

    await ok(['config:set', 'WAVE=2', '-a', 'probe']);
    // The new release serves new requests at once; the old process is still draining its slow request.
    expect(await body()).toMatchObject({ release: 'v2' });
    expect(ws.closeCode).toBeNull();
    await ws.echo('still here while web.1 v1 drains');
    const finished = await slow;
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.body)).toMatchObject({ release: 'v1' });
    // Once drained, the old process gets SIGTERM and closes its WebSockets cleanly (1001).
    await eventually(async () => expect(ws.closeCode).toBe(1001), 15_000);
    polling = false;
    await poll;
    expect(errors).toBe(0);
    expect(served).toBeGreaterThan(0);
    const again = new Socket(platform.routerPort, host);
    expect(await again.opened()).toMatchObject({ release: 'v2' });
    again.ws.close();
  });

  it('a scale down with requests and WebSockets in flight: the stopped process finishes its request, its WebSocket closes once it drained, the other one is untouched', async () => {
    await ok(['ps:scale', 'web=2', '-a', 'probe']);
    await eventually(async () => expect((await ok(['ps', '-a', 'probe'])).stdout).toMatch(/web\.2:\s+up/));
    const sockets = new Map<string, Socket>();
    for (let i = 0; i < 20 && sockets.size < 2; i++) {
      const ws = new Socket(platform.routerPort, host);
      const { hello } = await ws.opened();
      if (sockets.has(hello)) ws.ws.close();
      else sockets.set(hello, ws);
    }
    expect([...sockets.keys()].sort()).toEqual(['web.1', 'web.2']);
    // Least outstanding requests puts one slow request on each process.
    const slow = [slowRequest(platform.routerPort, host, 8000), slowRequest(platform.routerPort, host, 8000)];
    await new Promise((r) => setTimeout(r, 300));
    await ok(['ps:scale', 'web=1', '-a', 'probe']);
    for (let i = 0; i < 5; i++) expect((await body()).process).toBe('web.1');
    await (sockets.get('web.2') as Socket).echo('web.2 drains but its socket is open');
    const results = await Promise.all(slow);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => (JSON.parse(r.body) as ProbeBody).process).sort()).toEqual(['web.1', 'web.2']);
    await eventually(async () => expect(sockets.get('web.2')?.closeCode).toBe(1001), 15_000);
    await (sockets.get('web.1') as Socket).echo('web.1 is untouched');
    expect(sockets.get('web.1')?.closeCode).toBeNull();
    sockets.get('web.1')?.ws.close();
  });

  it('routes custom domains added with the CLI (exact and wildcard), and stops when they are removed', async () => {
    await ok(['domains:add', 'www.probe.test', '-a', 'probe']);
    await ok(['domains:add', '*.probe.test', '-a', 'probe']);
    expect((await ok(['domains', '-a', 'probe'])).stdout).toMatch(/\*\.probe\.test\s+wildcard[\s\S]*www\.probe\.test\s+exact/);
    expect((await body('www.probe.test')).release).toBe('v2');
    expect((await body('EU.Probe.Test.:80')).release).toBe('v2');
    const bad = await platform.cli(['domains:add', 'x.localhost', '-a', 'probe']);
    expect(bad.stderr).toContain('(DOMAIN_RESERVED');
    await ok(['domains:remove', '*.probe.test', '-a', 'probe']);
    expect((await httpGet(platform.routerPort, 'eu.probe.test', '/')).status).toBe(404);
    expect((await body('www.probe.test')).release).toBe('v2');
  });

  it('writes router lines with timings to the app log, and counts requests in /metrics', async () => {
    await httpGet(platform.routerPort, host, '/status?code=204', { 'x-request-id': 'e2e-line-1' });
    const logs = await eventually(async () => {
      const result = await ok(['logs', '-n', '1000', '-a', 'probe']);
      expect(result.stdout).toContain('request_id=e2e-line-1');
      return result.stdout;
    });
    expect(logs).toMatch(/router\]: at=info method=GET path="\/status\?code=204" host=probe\.localhost request_id=e2e-line-1 fwd="127\.0\.0\.1" process=web\.1 connect=\d+ms service=\d+ms status=204 bytes=\d+ protocol=http/);
    expect(logs).toMatch(/router\]: at=info method=GET path="\/ws" .* status=101 .* protocol=websocket/);
    // The counters move by exactly the requests sent: a counter stuck at 0 (or counting twice) fails.
    const series = ['dozen_router_requests_total{app="probe",status="2xx"}', 'dozen_router_requests_total{app="probe",status="4xx"}', 'dozen_router_request_duration_seconds_count{app="probe"}'];
    const [ok2xx, ok4xx, count] = (await scrape(platform.apiUrl, series)) as [number, number, number];
    for (let i = 0; i < 5; i++) expect((await httpGet(platform.routerPort, host, '/')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await httpGet(platform.routerPort, host, '/status?code=404')).status).toBe(404);
    const expected = [ok2xx + 5, ok4xx + 2, count + 7];
    await eventually(async () => expect(await scrape(platform.apiUrl, series)).toEqual(expected), 5000, 50);
  });

  it('answers H12 when the app does not answer in time, H14 when scaled to zero, H10 when it crashed', async () => {
    const started = Date.now();
    const never = await httpGet(platform.routerPort, host, '/never', { accept: 'application/json' });
    expect([never.status, JSON.parse(never.body).error.code]).toEqual([503, 'H12']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4800);

    await httpGet(platform.routerPort, host, '/crash');
    await eventually(async () => expect((await httpGet(platform.routerPort, host, '/')).status).toBe(200));
    await httpGet(platform.routerPort, host, '/crash');
    // The second crash in a row restarts after a back-off: meanwhile the app is "crashed".
    const crashed = await eventually(async () => {
      const response = await httpGet(platform.routerPort, host, '/', { accept: 'application/json' });
      expect(JSON.parse(response.body).error?.code).toBe('H10');
      return response;
    }, 3000, 20);
    expect(crashed.status).toBe(503);
    await eventually(async () => expect((await httpGet(platform.routerPort, host, '/')).status).toBe(200));

    await ok(['ps:scale', 'web=0', '-a', 'probe']);
    const none = await eventually(async () => {
      const response = await httpGet(platform.routerPort, host, '/', { accept: 'application/json' });
      expect(JSON.parse(response.body).error?.code).toBe('H14');
      return response;
    });
    expect(none.status).toBe(503);
  });
});
