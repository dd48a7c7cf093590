import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isAlive, TestPlatform } from './support/platform.js';

interface BuildInfo {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}

/** Processes whose command line contains `marker`, anywhere on the host. */
function processesRunning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !isAlive(Number(entry))) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** A buildpack whose compile step runs `script` (sh) with the build dir as $1. */
function buildpack(dir: string, name: string, script: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', 'detect'), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  writeFileSync(join(root, 'bin', 'compile'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return root;
}

/** A Procfile-only app answering `text`. */
function app(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n');
  writeFileSync(join(dir, 'server.js'), `require('node:http').createServer((q, s) => s.end(${JSON.stringify(text)})).listen(Number(process.env.PORT));\n`);
  return dir;
}

/** Issue 15, faults: kill -9 of the platform during a build; a full disk during a build. */
describe('faults during a build', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-faults-'));
  const marker = `sleep ${3000 + (process.pid % 900)}`;
  const slow = buildpack(scratch, 'slow', `echo "-----> compiling slowly"\n${marker}`);
  const filler = buildpack(scratch, 'filler', 'echo "-----> filling the disk"\ndd if=/dev/zero of="$1/fill" bs=1M count=256 2>&1 || exit 1');
  const env = { DOZEN_BUILDPACK_DIRS: scratch };

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('kill -9 of the platform mid-build', () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await TestPlatform.start(env);
    });
    afterAll(async () => {
      await platform?.destroy();
    });

    it('fails the build as interrupted at the next start; the serving release stays; no orphan process or build dir', async () => {
      await platform.ok(['apps:create', 'kb']);
      await platform.ok(['deploy', app(join(scratch, 'v1'), 'v1 serving'), '-a', 'kb']);
      await platform.ok(['buildpacks:set', slow, '-a', 'kb']);
      const deploy = platform.cli(['deploy', app(join(scratch, 'v2'), 'v2 never'), '-a', 'kb']);
      await eventually(async () => expect(processesRunning(marker).length).toBeGreaterThan(0), 20_000);
      expect((await platform.stop('SIGKILL')).signal).toBe('SIGKILL');
      expect((await deploy).code).not.toBe(0);
      // The build's commands die with the platform: nothing is left running.
      await eventually(async () => expect(processesRunning(marker)).toEqual([]), 5000, 50);
      await platform.boot();
      const [build] = JSON.parse((await platform.ok(['builds', '-a', 'kb', '--json'])).stdout) as BuildInfo[];
      expect(build?.status).toBe('failed');
      expect(build?.error?.message).toBe('The build was interrupted by a platform restart.');
      expect(readdirSync(join(platform.dataDir, 'tmp', 'builds'))).toEqual([]);
      expect(readdirSync(join(platform.dataDir, 'tmp', 'sources'))).toEqual([]);
      await eventually(async () => expect((await platform.http('kb')).body).toBe('v1 serving'));
      const releases = JSON.parse((await platform.ok(['releases', '-a', 'kb', '--json'])).stdout) as { version: number; current: boolean }[];
      expect(releases.filter((r) => r.current).map((r) => r.version)).toEqual([1]);
    }, 60_000);
  });

  describe('a full disk during a build', () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'dozen-e2e-tmpfs-'));
    let platform: TestPlatform;
    beforeAll(async () => {
      // The data dir on a small file system of its own.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', mountPoint]);
      platform = new TestPlatform(mountPoint, env);
      await platform.boot();
    });
    afterAll(async () => {
      // The edge (and the app in it) outlives the platform process: stop it while its pid file is
      // still readable, before the file system goes.
      await platform?.stop();
      await platform?.stopEdge();
      execFileSync('umount', ['-l', mountPoint]);
      await platform?.destroy();
    });

    it('fails with DISK_FULL naming the disk; the serving release and the store are intact, and the next deploy works', async () => {
      await platform.ok(['apps:create', 'full']);
      await platform.ok(['deploy', app(join(scratch, 'f1'), 'f1 serving'), '-a', 'full']);
      await platform.ok(['buildpacks:set', filler, '-a', 'full']);
      const failed = await platform.fails(['deploy', app(join(scratch, 'f2'), 'f2 never'), '-a', 'full'], 'DISK_FULL');
      expect(failed.stderr).toContain(`The disk holding the data dir ${mountPoint} is full`);
      expect((await platform.http('full')).body).toBe('f1 serving');
      const [build] = JSON.parse((await platform.ok(['builds', '-a', 'full', '--json'])).stdout) as BuildInfo[];
      expect(build?.error?.code).toBe('DISK_FULL');
      // The store took every write of the failure, and the space came back with the build's files.
      expect(execFileSync('sqlite3', [join(mountPoint, 'dozen.db'), 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim()).toBe('ok');
      await platform.ok(['buildpacks:clear', '-a', 'full']);
      await platform.ok(['deploy', app(join(scratch, 'f3'), 'f3 serving'), '-a', 'full']);
      await eventually(async () => expect((await platform.http('full')).body).toBe('f3 serving'));
    }, 60_000);
  });
});
