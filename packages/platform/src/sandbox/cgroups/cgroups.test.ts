import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CgroupsV1 } from './cgroups-v1.js';
import { CgroupsV2 } from './cgroups-v2.js';
import type { ProcessLimits } from './limits.js';

const LIMITS: ProcessLimits = { size: 'tiny', memoryQuotaBytes: 96 << 20, memoryLimitBytes: 192 << 20, pidsMax: 64, cpuWeight: 200, tmpBytes: 96 << 20 };

/**
 * The plan each layout writes, on a directory laid out like /sys/fs/cgroup (the kernel's files
 * are plain files here; test/e2e/runtime-limits.test.ts checks the real thing).
 */
describe('cgroups', () => {
  it('v1 writes the limits into the memory, pids and cpu hierarchies and reads anon + tmpfs memory', async () => {
    const mount = mkdtempSync(join(tmpdir(), 'cgroup-v1-'));
    for (const controller of ['memory', 'pids', 'cpu']) mkdirSync(join(mount, controller));
    const group = new CgroupsV1(mount, 'dozen/abc').create('p1', LIMITS);
    expect(readFileSync(join(mount, 'memory/dozen/abc/p1/memory.limit_in_bytes'), 'utf8')).toBe(String(192 << 20));
    expect(readFileSync(join(mount, 'pids/dozen/abc/p1/pids.max'), 'utf8')).toBe('64');
    expect(readFileSync(join(mount, 'cpu/dozen/abc/p1/cpu.shares'), 'utf8')).toBe('2048');
    expect(group.procsFiles).toEqual(['memory', 'pids', 'cpu'].map((c) => join(mount, c, 'dozen/abc/p1/cgroup.procs')));
    writeFileSync(join(mount, 'memory/dozen/abc/p1/memory.stat'), 'cache 5\nrss 1\ntotal_cache 900\ntotal_rss 1000\ntotal_shmem 24\n');
    expect(group.memoryBytes()).toBe(1024);
    writeFileSync(join(mount, 'memory/dozen/abc/p1/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
    expect(group.oomKilled()).toBe(true);
  });

  it('v1 at start removes the groups a previous run left, and counts processes, not hierarchies', () => {
    const mount = mkdtempSync(join(tmpdir(), 'cgroup-v1-'));
    for (const controller of ['memory', 'pids', 'cpu']) mkdirSync(join(mount, controller, 'dozen/abc/left'), { recursive: true });
    const cgroups = new CgroupsV1(mount, 'dozen/abc');
    expect(cgroups.note).toContain('removed 1 left over');
    expect(existsSync(join(mount, 'memory/dozen/abc/left'))).toBe(false);
    expect(existsSync(join(mount, 'memory/dozen/abc'))).toBe(true);
    // At stop: its folder goes, and `dozen` with it once no other platform has one.
    mkdirSync(join(mount, 'pids/dozen/other'));
    cgroups.close();
    for (const controller of ['memory', 'cpu']) expect(existsSync(join(mount, controller, 'dozen'))).toBe(false);
    expect(existsSync(join(mount, 'pids/dozen/abc'))).toBe(false);
    expect(existsSync(join(mount, 'pids/dozen/other'))).toBe(true);
  });

  it('v2 enables the controllers down to its folder and writes memory.max, pids.max, cpu.weight', () => {
    const mount = mkdtempSync(join(tmpdir(), 'cgroup-v2-'));
    const group = new CgroupsV2(mount, 'dozen/abc').create('p1', LIMITS);
    for (const dir of ['', 'dozen', 'dozen/abc']) expect(readFileSync(join(mount, dir, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids +cpu');
    expect(readFileSync(join(mount, 'dozen/abc/p1/memory.max'), 'utf8')).toBe(String(192 << 20));
    expect(readFileSync(join(mount, 'dozen/abc/p1/pids.max'), 'utf8')).toBe('64');
    expect(readFileSync(join(mount, 'dozen/abc/p1/cpu.weight'), 'utf8')).toBe('200');
    writeFileSync(join(mount, 'dozen/abc/p1/memory.stat'), 'anon 1000\nfile 900\nshmem 24\n');
    expect(group.memoryBytes()).toBe(1024);
    writeFileSync(join(mount, 'dozen/abc/p1/memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n');
    expect(group.oomKilled()).toBe(false);
    expect(group.procsFiles).toEqual([join(mount, 'dozen/abc/p1/cgroup.procs')]);
  });
});
