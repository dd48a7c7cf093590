// A steady, bounded load through the router: two loops on kept-alive connections and one that
// opens a new connection per request. Counts answers and failures, and the longest time without
// any successful answer (a restart's gap). Shared by the restart e2e test and bench/restart.bench.js.
import { Agent, request } from 'node:http';

/** Starts the load on 127.0.0.1:`port` with `Host: host`; `stop()` ends it and answers the stats. */
export function steadyLoad({ port, host, path = '/', pauseMs = 5 }) {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 2 });
  const stats = { ok: 0, failed: 0, errors: [], longestGapMs: 0 };
  let running = true;
  let lastOk = Date.now();
  const loop = async (agent, label) => {
    while (running) {
      const error = await once(port, host, path, agent);
      const now = Date.now();
      if (error === null) {
        stats.ok++;
        stats.longestGapMs = Math.max(stats.longestGapMs, now - lastOk);
        lastOk = now;
      } else {
        stats.failed++;
        if (stats.errors.length < 20) stats.errors.push(`${label}: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = [loop(keepAlive, 'keep-alive'), loop(keepAlive, 'keep-alive'), loop(false, 'new connection')];
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      stats.longestGapMs = Math.max(stats.longestGapMs, Date.now() - lastOk);
      keepAlive.destroy();
      return stats;
    },
  };
}

/** One GET: null when it answered 200, else what went wrong. */
function once(port, host, path, agent) {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? null : `status ${res.statusCode}`));
      res.on('error', (error) => done(error.message));
    });
    req.on('error', (error) => done(error.code ?? error.message));
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.end();
  });
}
