import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import type { RunTarget } from '../core/ports/runtime.js';
import { EdgeClient } from '../edge-link/edge-client.js';
import type { EdgeServices } from '../edge-link/edge-services.js';
import { PROTOCOL, type EdgeAddress } from '../edge-link/protocol.js';
import { RemoteEdge } from '../edge-link/remote-edge.js';
import { Recorder } from '../test-support/recording-runtime.js';
import { startRelay, type Relay } from './relay-server.js';

// The relay on real TCP with a runtime that records what reaches it (the real edge behind a
// relay is exercised in runtime-role.test.ts).

const TOKEN = 'the-cluster-token-is-32-characters-or-more';

const target = (slugId: string, release = 1) => ({ app: 'shop', appId: 'a1', slugId, release }) as RunTarget;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('relay', () => {
  let runtime: Recorder;
  let relay: Relay;
  let fetched: string[];
  let failures: string[];
  /** Slugs whose next fetch fails once (an api briefly away). */
  let flaky: Set<string>;

  beforeEach(async () => {
    runtime = new Recorder();
    fetched = [];
    failures = [];
    flaky = new Set();
    const edge = { runtime, hello: () => ({ protocol: PROTOCOL, pid: 7 }) } as unknown as EdgeServices;
    relay = await startRelay({
      edge,
      token: TOKEN,
      host: '127.0.0.1',
      port: 0,
      ensureSlug: async (_appId, slugId) => {
        await sleep(50);
        if (slugId === 'missing') throw new DozenError('SLUG_NOT_FOUND', `No slug ${slugId}.`);
        if (flaky.delete(slugId)) throw new DozenError('CLUSTER_API_UNREACHABLE', `No api for ${slugId}.`);
        fetched.push(slugId);
      },
      onSlugFailed: (method, error) => failures.push(`${method}: ${(error as Error).message}`),
    });
  });
  afterEach(() => relay.close());

  const api = async () => {
    const address: EdgeAddress = { url: relay.url, token: TOKEN };
    const client = await EdgeClient.connect(address, () => undefined);
    return new RemoteEdge(client, address, await client.call('hello', {}), () => Promise.reject(new Error('no')));
  };

  it('serves several apis at once; an api that goes away abandons its own rollout only', async () => {
    const [one, two] = [await api(), await api()];
    expect(one.hello().pid).toBe(7);
    void one.runtime.rollout(target('s1', 1), () => undefined).catch(() => undefined);
    void two.runtime.rollout(target('s2', 2), () => undefined).catch(() => undefined);
    await expect.poll(() => runtime.signals.size).toBe(2);
    one.client.close();
    await expect.poll(() => runtime.signals.get(1)?.aborted).toBe(true);
    await sleep(50);
    expect(runtime.signals.get(2)?.aborted).toBe(false);
    expect(await two.runtime.list('shop')).toEqual([]);
    two.client.close();
  });

  it('a target whose slug cannot be fetched is not run: a rollout fails with the error, a converge is reported', async () => {
    const edge = await api();
    await expect(edge.runtime.rollout(target('missing'), () => undefined)).rejects.toMatchObject({ code: 'SLUG_NOT_FOUND', message: 'No slug missing.' });
    edge.runtime.converge('shop', target('missing'));
    edge.runtime.converge('shop', target('s3'));
    await edge.runtime.list('shop');
    expect(runtime.seen).toEqual(['converge shop s3', 'list shop']);
    expect(failures).toEqual(['converge: No slug missing.']);
    edge.client.close();
  });

  it('a converge whose slug fetch failed is tried again until it runs, unless a newer target of the app came meanwhile', async () => {
    const edge = await api();
    flaky.add('s5');
    edge.runtime.converge('shop', target('s5', 5));
    await expect.poll(() => failures).toEqual(['converge: No api for s5.']);
    expect(runtime.seen).toEqual([]);
    await expect.poll(() => runtime.seen, { timeout: 5000 }).toEqual(['converge shop s5']);
    flaky.add('s6');
    edge.runtime.converge('shop', target('s6', 6));
    edge.runtime.converge('shop', target('s7', 7));
    await expect.poll(() => runtime.seen).toEqual(['converge shop s5', 'converge shop s7']);
    // The retry of s6 (after 1 s) finds it superseded by s7: it never runs.
    await sleep(1500);
    expect(runtime.seen).toEqual(['converge shop s5', 'converge shop s7']);
    expect(fetched).not.toContain('s6');
    edge.client.close();
  });

  it('a one-off starts once its slug is here; what was written meanwhile reaches it', async () => {
    const edge = await api();
    const out: string[] = [];
    const run = edge.runtime.runOneOff(target('s4'), { command: ['cat'], onStdout: (c) => out.push(Buffer.from(c).toString()), onStderr: () => undefined });
    run.writeStdin(Buffer.from('early'));
    run.endStdin();
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(fetched).toEqual(['s4']);
    expect(runtime.seen).toEqual(['one-off s4']);
    expect(out).toEqual(['early']);
  });
});
