import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readText, removeUpTo, sweepTree, tryRmdir, writeValue } from './cgroup-fs.js';
import { removeDirs, statValue, type Cgroups, type ProcessCgroup, type ProcessLimits } from './limits.js';

const CONTROLLERS = ['memory', 'pids', 'cpu'] as const;

/**
 * cgroup v1 (the hybrid layout: one hierarchy per controller under /sys/fs/cgroup). A process
 * gets a group in each of memory, pids and cpu, below `<controller>/<root>`.
 */
export class CgroupsV1 implements Cgroups {
  readonly kind = 'v1' as const;
  readonly note: string;

  /** `root`: this platform's own folder in each hierarchy, e.g. `dozen/3f2a`. */
  constructor(
    private readonly mount: string,
    private readonly root: string,
  ) {
    // A process has a group in each hierarchy: count processes, not directories.
    const swept = Math.max(...CONTROLLERS.map((controller) => sweepTree(this.dir(controller))));
    for (const controller of CONTROLLERS) mkdirSync(this.dir(controller), { recursive: true });
    this.note = `cgroup v1 (hybrid layout): memory, pids and CPU weight enforced per process under ${join(mount, '{memory,pids,cpu}', root)}${swept > 0 ? `; removed ${swept} left over` : ''}`;
  }

  create(name: string, limits: ProcessLimits): ProcessCgroup {
    const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, join(this.dir(c), name)])) as Record<(typeof CONTROLLERS)[number], string>;
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    writeValue(join(dirs.memory, 'memory.limit_in_bytes'), limits.memoryLimitBytes);
    // No swap beyond the limit where the kernel accounts swap.
    const memsw = join(dirs.memory, 'memory.memsw.limit_in_bytes');
    if (readText(memsw) !== null) writeValue(memsw, limits.memoryLimitBytes);
    writeValue(join(dirs.pids, 'pids.max'), limits.pidsMax);
    // cpu.shares: 1024 is the default, as cpu.weight 100 is on v2.
    writeValue(join(dirs.cpu, 'cpu.shares'), Math.max(2, Math.round((limits.cpuWeight * 1024) / 100)));
    return {
      procsFiles: Object.values(dirs).map((dir) => join(dir, 'cgroup.procs')),
      memoryBytes: () => {
        const stat = readText(join(dirs.memory, 'memory.stat'));
        return stat === null ? null : statValue(stat, 'total_rss') + statValue(stat, 'total_shmem');
      },
      // cpuacct comes mounted with cpu (cpu,cpuacct) on the usual layouts; elsewhere: none.
      cpuSeconds: () => {
        const nanoseconds = readText(join(dirs.cpu, 'cpuacct.usage'));
        return nanoseconds === null ? null : Number(nanoseconds.trim()) / 1e9;
      },
      oomKilled: () => statValue(readText(join(dirs.memory, 'memory.oom_control')) ?? '', 'oom_kill') > 0,
      remove: () => removeDirs(() => Object.values(dirs).map(tryRmdir).every(Boolean)),
    };
  }

  close(): void {
    for (const controller of CONTROLLERS) removeUpTo(join(this.mount, controller), this.root);
  }

  private dir(controller: string): string {
    return join(this.mount, controller, this.root);
  }
}
