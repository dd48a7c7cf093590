import { Agent, request } from 'node:http';
import { Agent as TlsAgent, request as tlsRequest } from 'node:https';

export interface LoadResult {
  requests: number;
  failures: number;
  /** The first few failures, described. */
  samples: string[];
  seconds: number;
  rate: number;
  /** Distinct `release` values seen in response bodies. */
  releases: Set<string>;
}

/**
 * A constant load through the router: `connections` connections (kept alive unless told
 * otherwise), each sending the next request as soon as the previous one is answered. Every request that does not come back as
 * a 200 with a JSON body from the app counts as failed (errors, other statuses, timeouts).
 */
export function startLoad(port: number, host: string, connections = 8, options: { keepAlive?: boolean; timeoutMs?: number; tls?: { ca: string }; address?: string } = {}): { stop(): Promise<LoadResult> } {
  const { keepAlive = true, timeoutMs = 5000, tls, address = '127.0.0.1' } = options;
  // keepAlive false: a new connection per request (`Connection: close`); `tls`: HTTPS with SNI `host`, only `ca` trusted.
  const agent = tls ? new TlsAgent({ keepAlive, maxSockets: connections, ca: tls.ca, servername: host }) : new Agent({ keepAlive, maxSockets: connections });
  const send = tls ? tlsRequest : request;
  const result: LoadResult = { requests: 0, failures: 0, samples: [], seconds: 0, rate: 0, releases: new Set() };
  const fail = (what: string) => {
    result.failures += 1;
    if (result.samples.length < 10) result.samples.push(`${new Date().toISOString()} ${what}`);
  };
  let running = true;
  const started = Date.now();
  const one = () =>
    new Promise<void>((done) => {
      const req = send({ host: address, port, path: '/', headers: { host }, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          result.requests += 1;
          try {
            if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${body.slice(0, 120)}`);
            result.releases.add((JSON.parse(body) as { release: string }).release);
          } catch (error) {
            fail((error as Error).message);
          }
          done();
        });
        res.on('error', (error) => {
          result.requests += 1;
          fail(`response error ${error.message}`);
          done();
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        result.requests += 1;
        fail(`request error ${error.code ?? ''} ${error.message}`);
        done();
      });
      req.end();
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      result.seconds = (Date.now() - started) / 1000;
      result.rate = result.requests / result.seconds;
      return result;
    },
  };
}
