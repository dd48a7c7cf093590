// `npm run bench -- restart`: requests failed and the longest gap between successful answers while
// the platform restarts under a steady load (issue 15), in one run:
//   dozen restart    SIGTERM of `dozen up` and a new start on the same data dir: the edge (router
//                    and app processes) outlives it and is adopted
//   dozen stop-apps  what a restart was before issue 15: every app stopped and started again
//                    (`dozen down --stop-apps`, then a start)
//   pm2              PM2's `kill` and `resurrect` of the same app (cluster mode, 2 instances)
// The load: two loops on kept-alive connections and one opening a connection per request, each
// pausing 5 ms between requests. Loopback only, bounded, cleans up after itself.
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort } from './router.bench.js';
import { startPm2 } from './runtime/pm2.js';
import { steadyLoad } from './support/steady-load.js';
import { ROOT, startPlatform } from './support/platform.js';

const RESTARTS = 3;

export async function run() {
  const rows = [];
  rows.push(await dozenRestarts(false));
  rows.push(await dozenRestarts(true));
  rows.push(await pm2Restarts());
  console.log(`\n== restart: ${RESTARTS} restarts of the platform under a steady load (examples/node-web, 2 processes)`);
  console.log(['what', 'answers', 'failed', 'longest gap'].join('\t'));
  for (const row of rows) console.log([row.what, row.ok, row.failed, `${row.longestGapMs} ms`].join('\t'));
}

async function dozenRestarts(stopApps) {
  let platform = await startPlatform();
  try {
    await platform.cli(['apps:create', 'bench']);
    await platform.cli(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'bench']);
    await platform.cli(['ps:scale', 'web=2', '-a', 'bench']);
    const load = steadyLoad({ port: platform.routerPort, host: 'bench.localhost' });
    for (let i = 0; i < RESTARTS; i++) {
      if (stopApps) await platform.cli(['down', '--stop-apps']).catch(() => undefined);
      platform = await platform.restart();
      // Serving again (a stop-apps start brings the apps back after the start).
      await until(() => answers(platform.routerPort, 'bench.localhost'));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const stats = await load.stop();
    return { what: stopApps ? 'dozen: down --stop-apps + start (before issue 15)' : 'dozen: restart (the edge is adopted)', ...stats };
  } finally {
    await platform.stop();
  }
}

async function pm2Restarts() {
  const pm2 = startPm2();
  const port = await freePort();
  try {
    await pm2.start([{ name: 'bench', script: join(ROOT, 'examples', 'node-web', 'server.js'), instances: 2, exec_mode: 'cluster', env: { PORT: String(port) } }]);
    await until(() => answers(port, 'localhost'));
    await pm2.run(['save']);
    const load = steadyLoad({ port, host: 'localhost' });
    for (let i = 0; i < RESTARTS; i++) {
      await pm2.run(['kill']);
      await pm2.run(['resurrect']);
      await until(() => answers(port, 'localhost'));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const stats = await load.stop();
    return { what: 'pm2: kill + resurrect', ...stats };
  } finally {
    await pm2.kill();
  }
}

/** Whether a GET / with `Host: host` answers 200. */
function answers(port, host) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function until(check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
