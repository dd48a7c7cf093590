import { Agent, request } from 'node:https';
import { isIP } from 'node:net';
import type { DrainTarget } from '../../core/drain-url.js';
import { resolveAllowed, type AddressPolicy } from './address-policy.js';
import type { Batch, SendResult, Transport } from './drain-worker.js';
import { octetFrame } from './syslog-frame.js';

/** A request that gets no complete answer in this time counts as failed and is retried. */
export const REQUEST_TIMEOUT_MS = 5000;

/** https://: Heroku's logplex framing, POSTed in batches (application/logplex-1). */
export class HttpsTransport implements Transport {
  readonly batchSize = 500;
  readonly batchChars = 1024 * 1024;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;

  constructor(
    private readonly target: DrainTarget,
    private readonly policy: AddressPolicy,
    rawUrl: string,
    private readonly drainId: string,
  ) {
    this.url = new URL(rawUrl);
  }

  async send(batch: Batch): Promise<SendResult> {
    let address: string;
    try {
      address = await resolveAllowed(this.target.host, this.target.port, this.policy);
    } catch (error) {
      return { kind: 'retry', error: (error as Error).message };
    }
    const body = Buffer.concat(batch.messages.map(octetFrame));
    const headers: Record<string, string | number> = {
      host: this.url.host,
      'content-type': 'application/logplex-1',
      'content-length': body.length,
      'logplex-msg-count': batch.messages.length,
      'logplex-frame-id': batch.id,
      'logplex-drain-token': `d.${this.drainId}`,
      'user-agent': 'Dozen/0.1 logs',
    };
    if (this.url.username !== '') headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(this.url.username)}:${decodeURIComponent(this.url.password)}`).toString('base64')}`;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(
        {
          host: address,
          port: this.target.port,
          ...(isIP(this.target.host) === 0 ? { servername: this.target.host } : {}),
          ...(this.policy.ca ? { ca: this.policy.ca } : {}),
          method: 'POST',
          path: `${this.url.pathname}${this.url.search}`,
          headers,
          agent: this.agent,
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(classify(res.statusCode ?? 0)));
          res.on('error', (error) => finish({ kind: 'retry', error: error.message }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish({ kind: 'retry', error: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` });
      }, REQUEST_TIMEOUT_MS);
      req.on('error', (error) => finish({ kind: 'retry', error: error.message }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** 2xx delivered; 408, 429 and 5xx are worth a retry; any other answer is final. */
function classify(status: number): SendResult {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', error: `HTTP ${status}` };
  return { kind: 'refused', error: `HTTP ${status}: the batch was dropped` };
}
