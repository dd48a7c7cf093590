import type { Sandbox, SandboxBind, SandboxedProcess, SandboxRequest } from '../core/ports.js';
import { processTree, residentBytes, signalProcess } from './process-tree.js';
import { spawnOnTerminal, spawnPiped, type Spawned } from './spawned.js';

/**
 * The fallback where bubblewrap cannot run: programs run as the platform's own user, see the
 * whole host, and are stopped through their process group. It says so (`note`, and `ps`).
 */
export class Unsandboxed implements Sandbox {
  readonly kind = 'none' as const;

  constructor(readonly note: string) {}

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
      return byGroup(spawned, true);
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
    return byGroup(spawned, false);
  }
}

function byGroup(spawned: Spawned, terminal: boolean): SandboxedProcess {
  const group = spawned.pid === null ? null : -spawned.pid;
  return {
    write: (chunk) => spawned.write(chunk),
    endInput: () => spawned.endInput(),
    resize: (columns, rows) => spawned.resize(columns, rows),
    signal: (signal) => {
      if (terminal && signal === 'SIGINT') spawned.write(new Uint8Array([3]));
      else signalProcess(group, signal);
    },
    usage: () => (spawned.pid === null ? { pid: null, rssBytes: null } : { pid: spawned.pid, rssBytes: residentBytes(processTree(spawned.pid)) }),
    exit: spawned.exit,
  };
}
