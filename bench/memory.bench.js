// `npm run bench -- memory`: what an idle platform holds in memory, beside its floor, in one run.
//   floor     a bare `node -e "setInterval(()=>{},1e9)"`: what any Node.js process costs (RSS)
//   roles     the `dozen up` process, the edge (router and runtime, issue 15) and every helper
//             process they keep (the archive extractor, add-on servers if any), with
//             examples/node-web deployed and the platform left idle;
//             the app's own processes (and their sandbox) are shown apart and not counted
// Target (issue 11): roles ≤ 80 MiB RSS in total. RSS from /proc/PID/status; the median of a few
// readings a second apart. Loopback only; the platform and its data dir are removed at the end.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childrenOf, commandOf, median, rssBytes, treeOf } from './runtime/memory.js';
import { ROOT, startPlatform } from './support/platform.js';

const MIB = 1024 * 1024;
const TARGET_MIB = 80;
/** V8 gives back what start-up and the deploy took when its memory reducer runs: 15-40 s after. */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS || 60);
const READINGS = 5;

export async function run() {
  const result = await measureMemory();
  printTable(result);
}

/** The floor, then the platform's roles after a deploy and after `idleSeconds` of idle. */
export async function measureMemory({ idleSeconds = IDLE_SECONDS, readings = READINGS } = {}) {
  const floor = await floorRss(readings);
  const platform = await startPlatform();
  try {
    await platform.cli(['apps:create', 'idle']);
    await platform.cli(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'idle']);
    const appPids = JSON.parse(await platform.cli(['ps', '-a', 'idle', '--json'])).map((p) => p.pid).filter((pid) => pid !== null);
    const roots = [platform.pid, platform.edgePid()];
    const afterDeploy = await rolesOf(roots, appPids, readings);
    await sleep(idleSeconds * 1000);
    const idle = await rolesOf(roots, appPids, readings);
    return { floor, afterDeploy, idle, idleSeconds };
  } finally {
    await platform.stop();
  }
}

/**
 * The platform's process trees (the `dozen up` process and the edge) split in two: the trees that
 * hold one of the app's processes (the app and its sandbox), and the rest (the platform's two
 * processes and the helpers they keep), with their RSS.
 */
async function rolesOf(roots, appPids, readings) {
  const samples = [];
  for (let i = 0; i < readings; i++) {
    if (i > 0) await sleep(1000);
    // The edge is the `dozen up` process's child (until that one restarts): a root, never an app tree.
    const children = roots.flatMap((root) => childrenOf(root)).filter((pid) => !roots.includes(pid));
    const appTrees = children.map((pid) => treeOf(pid)).filter((tree) => tree.some((pid) => appPids.includes(pid)));
    const appSide = new Set(appTrees.flat());
    const roles = [...new Set(roots.flatMap((root) => treeOf(root)))].filter((pid) => !appSide.has(pid)).map((pid) => ({ pid, command: commandOf(pid), rss: rssBytes(pid) }));
    const apps = [...appSide].map((pid) => ({ pid, command: commandOf(pid), rss: rssBytes(pid) }));
    samples.push({ roles, apps, total: roles.reduce((sum, r) => sum + r.rss, 0), appTotal: apps.reduce((sum, r) => sum + r.rss, 0) });
  }
  const total = median(samples.map((s) => s.total));
  return { ...samples.find((s) => s.total === total), total };
}

async function floorRss(readings) {
  const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' });
  try {
    await sleep(1000);
    const values = [];
    for (let i = 0; i < readings; i++) {
      values.push(rssBytes(child.pid));
      await sleep(200);
    }
    return median(values);
  } finally {
    child.kill('SIGKILL');
  }
}

function printTable({ floor, afterDeploy, idle, idleSeconds }) {
  const mib = (bytes) => `${(bytes / MIB).toFixed(1)} MiB`;
  const label = (role) => role.command.replace(ROOT + '/', '').slice(0, 70);
  console.log(`\n== memory: RSS with examples/node-web deployed (median of ${READINGS} readings; a shared machine: compare rows)`);
  console.log(['what', 'RSS', '× floor', 'target'].join('\t'));
  console.log(['floor: node -e "setInterval(()=>{},1e9)"', mib(floor), '1.00', ''].join('\t'));
  console.log(['roles right after the deploy', mib(afterDeploy.total), (afterDeploy.total / floor).toFixed(2), ''].join('\t'));
  console.log([`roles after ${idleSeconds} s idle`, mib(idle.total), (idle.total / floor).toFixed(2), `≤ ${TARGET_MIB} MiB: ${idle.total <= TARGET_MIB * MIB ? 'met' : 'not met'}`].join('\t'));
  for (const role of idle.roles) console.log([`  ${label(role)}`, mib(role.rss), '', ''].join('\t'));
  console.log([`the app itself, not counted (${idle.apps.length} processes with its sandbox)`, mib(idle.appTotal), '', ''].join('\t'));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
