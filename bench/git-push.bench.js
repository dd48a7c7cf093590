// `npm run bench -- git-push`: how long a deploy takes by `git push` compared with `dozen deploy`
// of the same app (examples/node-web), and the floor: the same `git push` to a plain bare
// repository on disk (no build). A real `dozen up` on random loopback ports, its own data dir.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPlatform } from './support/platform.js';

const ROOT = resolve(import.meta.dirname, '..');
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
const RUNS = 5;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-bench-git-'));
  const platform = await startPlatform();
  const { apiUrl, dataDir } = platform;
  try {
    const env = {
      PATH: process.env.PATH, HOME: dir, DOZEN_API_URL: apiUrl, DOZEN_DATA_DIR: dataDir, XDG_CONFIG_HOME: join(dir, 'config'),
      GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@dozen.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@dozen.invalid',
    };
    const app = join(dir, 'app');
    cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
    const sh = (cmd, args, cwd = app) => {
      const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${result.stderr}`);
    };
    sh('git', ['init', '-q', '-b', 'main']);
    sh('git', ['add', '-A']);
    sh('git', ['commit', '-qm', 'bench']);
    sh(process.execPath, [DOZEN, 'apps:create', 'bench']);
    sh(process.execPath, [DOZEN, 'git:remote', '-a', 'bench']);
    sh('git', ['init', '-q', '--bare', join(dir, 'floor.git')]);
    sh('git', ['remote', 'add', 'floor', join(dir, 'floor.git')]);

    const rows = [];
    const measure = (label, step) => {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        writeFileSync(join(app, 'bench.txt'), `${label} ${i}\n`);
        sh('git', ['commit', '-qam', `${label} ${i}`]);
        const started = process.hrtime.bigint();
        step();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      rows.push([label, times[Math.floor(times.length / 2)].toFixed(0), times[0].toFixed(0), times[times.length - 1].toFixed(0)]);
    };
    writeFileSync(join(app, 'bench.txt'), 'start\n');
    sh('git', ['add', '-A']);
    sh('git', ['commit', '-qm', 'tracked']);
    measure('git push (floor: bare repo on disk, no build)', () => sh('git', ['push', '-q', '-f', 'floor', 'main']));
    measure('dozen deploy (tarball, build, release)', () => sh(process.execPath, [DOZEN, 'deploy', '-a', 'bench']));
    measure('git push dozen main (build, release)', () => sh('git', ['push', '-q', 'dozen', 'main']));

    console.log(`\n== git-push: deploy examples/node-web, ${RUNS} runs each (ms; a shared machine: compare rows, not absolutes)`);
    console.log(['what', 'median', 'min', 'max'].join('\t'));
    for (const row of rows) console.log(row.join('\t'));
  } finally {
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
