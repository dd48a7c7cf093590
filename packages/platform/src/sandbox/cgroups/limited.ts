import type { SandboxedProcess } from '../../shared-ports/sandbox.js';
import type { ProcessCgroup } from './limits.js';

/**
 * The command that starts `command` inside `cgroup`: a shell writes its own pid to the
 * group's cgroup.procs files, then execs the command, so the sandbox and everything in it are
 * born in the group (nothing runs outside it, not even for a moment). The paths and the command
 * are arguments, never shell text.
 */
export function joining(cgroup: ProcessCgroup | null, command: string[]): string[] {
  if (cgroup === null) return command;
  return ['/bin/sh', '-c', JOIN_SCRIPT, 'dozen-join', ...cgroup.procsFiles, '--', ...command];
}

const JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/**
 * `process` with its memory and CPU time read from its cgroup; its exit says whether the kernel killed it
 * for its memory limit, and comes once the cgroup is removed.
 */
export function limited(process: SandboxedProcess, cgroup: ProcessCgroup | null): SandboxedProcess {
  if (cgroup === null) return process;
  return {
    ...process,
    memoryBytes: () => cgroup.memoryBytes(),
    // The group counts the CPU of processes that are gone too; /proc only of those still there.
    usage: () => {
      const usage = process.usage();
      return { ...usage, cpuSeconds: cgroup.cpuSeconds() ?? usage.cpuSeconds };
    },
    exit: process.exit.then(async (status) => {
      const memoryExceeded = cgroup.oomKilled();
      await cgroup.remove();
      return { ...status, memoryExceeded };
    }),
  };
}
