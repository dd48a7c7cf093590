import { stat } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUser } from '../core/model.js';
import type { Sandbox, SandboxBind, SandboxedProcess, SandboxRequest } from '../shared-ports/sandbox.js';
import { bubblewrapArgs, userFiles } from './bubblewrap-args.js';
import { NoCgroups, type Cgroups, type ProcessCgroup, type ProcessLimits } from './cgroups/limits.js';
import { joining, limited } from './cgroups/limited.js';
import { grantTree } from './grant.js';
import { childrenOf, cpuSeconds, handles, ignores, processTree, residentBytes, signalProcess } from './process-tree.js';
import { SANDBOX_INIT } from './sandbox-init.js';
import { passThrough, spawnOnTerminal, spawnPiped, type Spawned } from './spawned.js';

export interface BubblewrapOptions {
  /** Absolute path of the bwrap binary. */
  bwrap: string;
  /** A directory of the platform's (under its 0700 data dir) for the init and the user files. */
  stateDir: string;
  /** Where each process's limits are enforced (a cgroup per process); none by default. */
  cgroups?: Cgroups;
}

/**
 * Every program in its own bubblewrap sandbox, started as root and dropped to the app's real uid
 * inside (feasibility notes, trap 1 option b). bwrap's reaper stays pid 1 and root: a process
 * whose uid changes loses its parent-death signal, so only the reaper can carry
 * `--die-with-parent`, which ends every sandbox with the platform, even on `kill -9`. Signals
 * (trap 3) go to our init and the command by their host pids, found from the reaper's.
 */
export class BubblewrapSandbox implements Sandbox {
  readonly kind = 'bubblewrap' as const;
  readonly note = 'every process runs in a bubblewrap sandbox as its app\'s own user';
  readonly limitsNote: string;
  private readonly initFile: string;
  private readonly users = new Set<string>();
  private readonly granted = new Set<string>();
  private started = 0;
  private readonly cgroups: Cgroups;

  constructor(private readonly options: BubblewrapOptions) {
    this.cgroups = options.cgroups ?? new NoCgroups('no cgroups given: limits are not enforced');
    this.limitsNote = this.cgroups.note;
    mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
    this.initFile = join(options.stateDir, 'init.sh');
    writeFileSync(this.initFile, SANDBOX_INIT, { mode: 0o644 });
  }

  pathInside(bind: SandboxBind): string {
    return bind.target;
  }

  async grant(dir: string, user: AppUser): Promise<void> {
    const key = `${dir}\0${user.uid}`;
    // A directory deleted and made again (a purged build cache) belongs to root again.
    if (this.granted.has(key) && (await ownerOf(dir)) === user.uid) return;
    await grantTree(dir, user);
    this.granted.add(key);
  }

  run(request: SandboxRequest): SandboxedProcess {
    const files = this.userFilesFor(request.user);
    const tty = request.tty;
    const args = bubblewrapArgs({
      argv: request.argv,
      cwd: request.cwd,
      uid: request.user.uid,
      gid: request.user.gid,
      binds: request.binds,
      passwdFile: files.passwd,
      groupFile: files.group,
      initFile: tty ? null : this.initFile,
      tmpBytes: request.limits?.tmpBytes ?? null,
      reportLeftovers: request.reportLeftovers === true,
    });
    const cgroup = request.limits ? this.cgroupFor(request.limits) : null;
    // nsenter joins the namespace and execs bwrap: the pid, the info fd and the signals stay bwrap's;
    // the shell that joins the cgroup first execs nsenter, so everything runs inside both.
    const command = request.network ? [NSENTER, `--net=${request.network}`, '--', this.options.bwrap, ...args] : [this.options.bwrap, ...args];
    const [file, ...argv] = joining(cgroup, command) as [string, ...string[]];
    if (tty) {
      // node-pty puts PWD (the host cwd) in the environment; the process sees its own.
      const env = { ...request.env, PWD: request.cwd };
      const spawned = spawnOnTerminal(file, argv, { env, cwd: '/', columns: tty.columns, rows: tty.rows, output: (chunk) => request.output('stdout', chunk) });
      return limited(onTerminal(spawned), cgroup);
    }
    const spawned = spawnPiped(file, argv, { env: request.env, cwd: '/', stdin: request.stdin, fd3: true, output: request.output });
    return limited(withInit(spawned), cgroup);
  }

  close(): void {
    this.cgroups.close();
  }

  /** A new cgroup with `limits`; if the kernel refuses one, the process runs without (it still runs). */
  private cgroupFor(limits: ProcessLimits): ProcessCgroup | null {
    try {
      return this.cgroups.create(`p${(this.started += 1)}-${Date.now().toString(36)}`, limits);
    } catch {
      return null;
    }
  }

  private userFilesFor(user: AppUser): { passwd: string; group: string } {
    const dir = join(this.options.stateDir, 'users', `${user.uid}-${user.gid}`);
    const files = { passwd: join(dir, 'passwd'), group: join(dir, 'group') };
    if (!this.users.has(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      const content = userFiles(user.uid, user.gid);
      writeFileSync(files.passwd, content.passwd, { mode: 0o644 });
      writeFileSync(files.group, content.group, { mode: 0o644 });
      this.users.add(dir);
    }
    return files;
  }
}

const NSENTER = '/usr/bin/nsenter';

/**
 * Without a terminal. bwrap reports its reaper (pid 1 inside) on fd 3; our init is the reaper's
 * child and the command the init's. SIGTERM goes to the init (once its trap is installed: it
 * passes it to every process); SIGINT straight to the command (once it no longer ignores it);
 * SIGKILL to the reaper, whose death tears the whole pid namespace down.
 */
function withInit(spawned: Spawned): SandboxedProcess {
  let reaper: number | null = null;
  let ended = false;
  void spawned.exit.then(() => (ended = true));
  const pending: NodeJS.Signals[] = [];
  let info = '';
  const init = () => (reaper === null ? null : (childrenOf(reaper)[0] ?? null));
  const main = () => {
    const pid = init();
    return pid === null ? null : (childrenOf(pid)[0] ?? null);
  };
  const deliver = (signal: NodeJS.Signals, attempts = 300) => {
    if (ended) return;
    const target = signal === 'SIGINT' ? main() : init();
    const ready = target !== null && (signal === 'SIGINT' ? !ignores(target, 'SIGINT') : handles(target, signal));
    if (ready || (attempts === 0 && target !== null)) return signalProcess(target, signal);
    if (attempts > 0) setTimeout(() => deliver(signal, attempts - 1), 10).unref();
  };
  spawned.fd3?.on('data', (chunk: Buffer) => {
    info += chunk.toString();
    const match = /"child-pid"\s*:\s*(\d+)/.exec(info);
    if (match && reaper === null) {
      reaper = Number(match[1]);
      for (const signal of pending.splice(0)) deliver(signal);
    }
  });
  return {
    ...passThrough(spawned),
    signal: (signal) => {
      if (signal === 'SIGKILL') return signalProcess(reaper ?? spawned.pid, 'SIGKILL');
      if (reaper === null) pending.push(signal);
      else deliver(signal);
    },
    usage: () => {
      const pid = init();
      if (pid === null) return { pid: null, rssBytes: null, cpuSeconds: null };
      const tree = processTree(pid);
      return { pid: childrenOf(pid)[0] ?? null, rssBytes: residentBytes(tree), cpuSeconds: cpuSeconds(tree) };
    },
    memoryBytes: () => null,
    // An orphan of the command is the reaper's child: the reaper's tree, without it and the init.
    pids: () => (reaper === null ? [] : processTree(reaper).filter((pid) => pid !== reaper && pid !== init())),
  };
}

/**
 * On a terminal: bwrap is the session leader and its reaper pid 1 inside; Ctrl-C is the byte the
 * terminal turns into SIGINT for whatever runs in its foreground; any other stop ends it all.
 */
function onTerminal(spawned: Spawned): SandboxedProcess {
  const reaper = () => (spawned.pid === null ? null : (childrenOf(spawned.pid)[0] ?? null));
  // Killing the reaper tears the namespace down before bwrap reports the exit.
  return {
    ...passThrough(spawned),
    signal: (signal) => {
      if (signal === 'SIGINT') spawned.write(new Uint8Array([3]));
      else signalProcess(reaper() ?? spawned.pid, 'SIGKILL');
    },
    usage: () => {
      const pid1 = reaper();
      if (pid1 === null) return { pid: null, rssBytes: null, cpuSeconds: null };
      const tree = processTree(pid1);
      return { pid: childrenOf(pid1)[0] ?? null, rssBytes: residentBytes(tree), cpuSeconds: cpuSeconds(tree) };
    },
    memoryBytes: () => null,
  };
}

async function ownerOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).uid;
  } catch {
    return null;
  }
}
