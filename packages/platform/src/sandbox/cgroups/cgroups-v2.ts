import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readText, removeUpTo, sweepTree, tryRmdir, writeValue } from './cgroup-fs.js';
import { removeDirs, statValue, type Cgroups, type ProcessCgroup, type ProcessLimits } from './limits.js';

/**
 * cgroup v2 (the unified hierarchy at /sys/fs/cgroup): one group per process below `<root>`,
 * with the memory, pids and cpu controllers enabled down to it.
 */
export class CgroupsV2 implements Cgroups {
  readonly kind = 'v2' as const;
  readonly note: string;

  constructor(
    private readonly mount: string,
    private readonly root: string,
  ) {
    const swept = sweepTree(join(mount, root));
    mkdirSync(join(mount, root), { recursive: true });
    // Each level from the mount down to our folder passes the controllers on to its children.
    let dir = mount;
    for (const part of root.split('/')) {
      writeValue(join(dir, 'cgroup.subtree_control'), '+memory +pids +cpu');
      dir = join(dir, part);
    }
    writeValue(join(dir, 'cgroup.subtree_control'), '+memory +pids +cpu');
    this.note = `cgroup v2: memory, pids and CPU weight enforced per process under ${join(mount, root)}${swept > 0 ? `; removed ${swept} left over` : ''}`;
  }

  create(name: string, limits: ProcessLimits): ProcessCgroup {
    const dir = join(this.mount, this.root, name);
    mkdirSync(dir, { recursive: true });
    writeValue(join(dir, 'memory.max'), limits.memoryLimitBytes);
    if (readText(join(dir, 'memory.swap.max')) !== null) writeValue(join(dir, 'memory.swap.max'), 0);
    writeValue(join(dir, 'pids.max'), limits.pidsMax);
    writeValue(join(dir, 'cpu.weight'), Math.min(10_000, Math.max(1, Math.round(limits.cpuWeight))));
    return {
      procsFiles: [join(dir, 'cgroup.procs')],
      memoryBytes: () => {
        const stat = readText(join(dir, 'memory.stat'));
        return stat === null ? null : statValue(stat, 'anon') + statValue(stat, 'shmem');
      },
      cpuSeconds: () => {
        const stat = readText(join(dir, 'cpu.stat'));
        return stat === null ? null : statValue(stat, 'usage_usec') / 1e6;
      },
      oomKilled: () => statValue(readText(join(dir, 'memory.events')) ?? '', 'oom_kill') > 0,
      remove: () => removeDirs(() => tryRmdir(dir)),
    };
  }

  close(): void {
    removeUpTo(this.mount, this.root);
  }
}
