// `npm run bench -- cli`: what the `dozen` command costs to start, beside its floor, in one run.
//   floor            `node -e 0`: starting Node.js itself
//   dozen --version  the CLI's own start-up (no network)
//   dozen run -- true  a one-off process on a deployed app (examples/node-web): start-up, the API
//                    call, the sandboxed `true` and the way back
// Targets (issue 11): --version ≤ floor + 60 ms, run -- true ≤ floor + 120 ms. Medians of RUNS,
// the three interleaved so that a busy moment of a shared machine hits them alike.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './runtime/memory.js';
import { ROOT, startPlatform } from './support/platform.js';

const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
const RUNS = Number(process.env.BENCH_RUNS || 10);

export async function run() {
  printTable(await measureCli());
}

export async function measureCli({ runs = RUNS } = {}) {
  const platform = await startPlatform();
  try {
    await platform.cli(['apps:create', 'cli']);
    await platform.cli(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'cli']);
    const env = { PATH: process.env.PATH, NO_COLOR: '1', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir };
    const commands = [
      { label: 'floor: node -e 0', args: ['-e', '0'] },
      { label: 'dozen --version', args: [DOZEN, '--version'], targetMs: 60 },
      { label: 'dozen run -a cli -- true', args: [DOZEN, 'run', '-a', 'cli', '--', 'true'], targetMs: 120 },
    ];
    const times = commands.map(() => []);
    for (let i = 0; i < runs; i++) {
      commands.forEach((command, c) => times[c].push(timed(command.args, env)));
    }
    return commands.map((command, c) => ({ ...command, medianMs: median(times[c]), minMs: Math.min(...times[c]) }));
  } finally {
    await platform.stop();
  }
}

/** Wall time of one run, in ms; a failed command fails the bench. */
function timed(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return ms;
}

function printTable(rows) {
  const floor = rows[0].medianMs;
  console.log(`\n== cli: start-up, median of ${RUNS} runs each (ms; a shared machine: compare rows, not absolutes)`);
  console.log(['what', 'median', 'min', 'over floor', '× floor', 'target'].join('\t'));
  for (const row of rows) {
    const over = row.medianMs - floor;
    const target = row.targetMs === undefined ? '' : `≤ +${row.targetMs} ms: ${over <= row.targetMs ? 'met' : 'not met'}`;
    console.log([row.label, row.medianMs.toFixed(0), row.minMs.toFixed(0), row === rows[0] ? '' : `+${over.toFixed(0)}`, (row.medianMs / floor).toFixed(2), target].join('\t'));
  }
}
