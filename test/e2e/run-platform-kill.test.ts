import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isAlive, processesUnder, ROOT, TestPlatform } from './support/platform.js';

const PROBE = 'test/e2e/fixtures/probe';
const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '(gone)';
  }
};

/**
 * Issue 4: "a platform restart does not leave [a one-off] orphaned". `kill -9` of the platform
 * while `dozen run` is attached (on pipes, and on a terminal): every process of the one-off dies
 * with it, and the CLI exits non-zero saying the connection was lost.
 */
describe('runtime: kill -9 of the platform during an attached dozen run', () => {
  let platform: TestPlatform;
  let slugs = '';
  const ok = (args: string[]) => platform.ok(args);
  /** The one-off's processes: those below the slugs running the marker command. */
  const oneOff = (marker: string) => processesUnder(slugs).filter((pid) => cmdline(pid).includes(marker));

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await ok(['apps:create', 'adhoc']);
    await ok(['deploy', PROBE, '-a', 'adhoc']);
    const { app } = JSON.parse((await ok(['apps:info', '-a', 'adhoc', '--json'])).stdout) as { app: { id: string } };
    slugs = join(platform.dataDir, 'slugs', app.id);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('on pipes: the one-off and its children die, the CLI exits non-zero with a clear message', async () => {
    const run = platform.cli(['run', '-a', 'adhoc', '--', 'sh', '-c', 'sleep 307 & sleep 308; wait']);
    const pids = await eventually(async () => {
      const found = oneOff('sleep 30');
      expect(found.filter((pid) => /sleep 307|sleep 308/.test(cmdline(pid))).length).toBeGreaterThanOrEqual(2);
      return found;
    });
    expect((await platform.stop('SIGKILL')).signal).toBe('SIGKILL');
    const result = await run;
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/The connection to the Dozen API at \S+ was lost before the one-off exited \(was the platform stopped or restarted\?\); the one-off was stopped with it\.\n.*Is the platform running\?[\s\S]*\(API_UNREACHABLE\)/);
    expect(result.stderr).not.toContain('bug in Dozen');
    await eventually(async () => expect(pids.filter(isAlive).map(cmdline)).toEqual([]), 5000, 20);
    expect(oneOff('sleep 30')).toEqual([]);
    await platform.boot();
    expect((await ok(['ps', '-a', 'adhoc', '--json'])).stdout).not.toContain('"run.');
  });

  it('on a terminal: the shell and what it started die, the CLI exits non-zero with a clear message', async () => {
    const terminal = pty.spawn(process.execPath, [DOZEN, 'run', '-a', 'adhoc', 'bash'], {
      name: 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir, TERM: 'xterm-256color', NO_COLOR: '1' },
    });
    let screen = '';
    terminal.onData((data) => (screen += data));
    const exited = new Promise<number>((resolve) => terminal.onExit(({ exitCode }) => resolve(exitCode)));
    await eventually(async () => expect(screen).toMatch(/on a terminal[\s\S]*\$ $/), 15_000, 20);
    terminal.write('sleep 309 & sleep 310\r');
    const pids = await eventually(async () => {
      // The one-off's shell and what it started (not the app's web process, which outlives the platform).
      const found = processesUnder(slugs).filter((pid) => /bash|sleep 309|sleep 310/.test(cmdline(pid)) && !cmdline(pid).includes('server.js'));
      expect(found.filter((pid) => /sleep 309|sleep 310/.test(cmdline(pid))).length).toBeGreaterThanOrEqual(2);
      return found;
    });
    expect((await platform.stop('SIGKILL')).signal).toBe('SIGKILL');
    const code = await exited;
    expect(code).not.toBe(0);
    expect(screen).toMatch(/was lost before the one-off exited[\s\S]*\(API_UNREACHABLE\)/);
    expect(screen).not.toContain('bug in Dozen');
    await eventually(async () => expect(pids.filter(isAlive).map(cmdline)).toEqual([]), 5000, 20);
    await platform.boot();
    expect((await ok(['ps', '-a', 'adhoc', '--json'])).stdout).not.toContain('"run.');
  });
});
