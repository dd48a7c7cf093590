import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { CgroupsV1 } from './cgroups-v1.js';
import { CgroupsV2 } from './cgroups-v2.js';
import { NoCgroups, type Cgroups } from './limits.js';

const MOUNT = '/sys/fs/cgroup';

/**
 * The cgroups this host offers: v2 when /sys/fs/cgroup is the unified hierarchy, v1 when it
 * holds the memory and pids hierarchies (the hybrid layout), else none (nothing enforced).
 * Each platform (data dir) has its own folder, so a restart finds and removes what it left.
 */
export function openCgroups(dataDir: string, off = false): Cgroups {
  const unenforced = 'memory quota, pids limit and CPU weight are not enforced';
  if (off) return new NoCgroups(`no cgroups (DOZEN_LIMITS=off): ${unenforced}`);
  if (process.getuid?.() !== 0) return new NoCgroups(`no cgroups (the platform does not run as root): ${unenforced}`);
  const root = `dozen/${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
  try {
    if (existsSync(`${MOUNT}/cgroup.controllers`)) return new CgroupsV2(MOUNT, root);
    if (existsSync(`${MOUNT}/memory/memory.limit_in_bytes`) && existsSync(`${MOUNT}/pids`)) return new CgroupsV1(MOUNT, root);
    return new NoCgroups(`no cgroups (neither cgroup v2 nor the v1 memory and pids hierarchies are mounted at ${MOUNT}): ${unenforced}`);
  } catch (error) {
    return new NoCgroups(`no cgroups (${(error as Error).message}): ${unenforced}`);
  }
}
