import type { Sandbox, SandboxBind, SandboxedProcess, SandboxRequest } from '../shared-ports/sandbox.js';
import type { GroupLedger } from './group-ledger.js';
import { cpuSeconds, processTree, residentBytes, signalProcess } from './process-tree.js';
import { passThrough, spawnOnTerminal, spawnPiped, type Spawned } from './spawned.js';

/**
 * The fallback where bubblewrap cannot run: programs run as the platform's own user, see the
 * whole host, and are stopped through their process group. It says so (`note`, and `ps`).
 */
export class Unsandboxed implements Sandbox {
  readonly kind = 'none' as const;
  readonly limitsNote = 'no cgroups (processes run unsandboxed): memory quota, pids limit, CPU weight and /tmp size are not enforced';

  /** `ledger`: where the groups it starts are recorded, so that a next start can end leftovers. */
  constructor(
    readonly note: string,
    private readonly ledger: GroupLedger | null = null,
  ) {}

  pathInside(bind: SandboxBind): string {
    return bind.source;
  }

  async grant(): Promise<void> {
    // Nothing to do: the program runs as the platform's user, which owns the files.
  }

  run(request: SandboxRequest): SandboxedProcess {
    const [file, ...args] = request.argv as [string, ...string[]];
    const cwd = request.cwd;
    if (request.tty) {
      const spawned = spawnOnTerminal(file, args, { env: request.env, cwd, columns: request.tty.columns, rows: request.tty.rows, output: (chunk) => request.output('stdout', chunk) });
      return this.recorded(byGroup(spawned, true), spawned.pid);
    }
    let group: number | null = null;
    const spawned = spawnPiped(file, args, {
      env: request.env,
      cwd,
      stdin: request.stdin,
      fd3: false,
      output: request.output,
      // Whatever the program left running in its group goes with it.
      onMainExit: () => signalProcess(group === null ? null : -group, 'SIGKILL'),
    });
    group = spawned.pid;
    return this.recorded(byGroup(spawned, false), spawned.pid);
  }

  close(): void {
    // Nothing to release: the ledger is kept for the next start.
  }

  private recorded(process: SandboxedProcess, pid: number | null): SandboxedProcess {
    if (pid === null || !this.ledger) return process;
    const ledger = this.ledger;
    ledger.add(pid);
    void process.exit.then(() => ledger.remove(pid));
    return process;
  }
}

function byGroup(spawned: Spawned, terminal: boolean): SandboxedProcess {
  const group = spawned.pid === null ? null : -spawned.pid;
  return {
    ...passThrough(spawned),
    signal: (signal) => {
      if (terminal && signal === 'SIGINT') spawned.write(new Uint8Array([3]));
      else signalProcess(group, signal);
    },
    usage: () => {
      if (spawned.pid === null) return { pid: null, rssBytes: null, cpuSeconds: null };
      const tree = processTree(spawned.pid);
      return { pid: spawned.pid, rssBytes: residentBytes(tree), cpuSeconds: cpuSeconds(tree) };
    },
    memoryBytes: () => null,
    pids: () => (spawned.pid === null ? [] : processTree(spawned.pid)),
  };
}
