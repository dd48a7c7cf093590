// PM2 (a dev dependency) with its own PM2_HOME, so the bench neither uses nor leaves a daemon.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/platform.js';

const PM2 = join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');

export function startPm2() {
  const home = mkdtempSync(join(tmpdir(), 'dozen-bench-pm2-'));
  const run = (args) =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [PM2, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, PM2_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      child.on('close', (code) => (code === 0 ? done(output) : fail(new Error(`pm2 ${args.join(' ')} failed (${code}):\n${output}`))));
    });
  return {
    run,
    /** Starts the apps of an ecosystem (PM2's config format). */
    async start(apps) {
      const file = join(home, `ecosystem-${Date.now()}.json`);
      writeFileSync(file, JSON.stringify({ apps }));
      await run(['start', file]);
    },
    godPid: () => Number(readFileSync(join(home, 'pm2.pid'), 'utf8')),
    async kill() {
      await run(['kill']).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
