import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUser } from '../core/model.js';
import type { Sandbox, SandboxBind, SandboxedProcess, SandboxRequest } from '../core/ports.js';
import { bubblewrapArgs, userFiles } from './bubblewrap-args.js';
import { grantTree } from './grant.js';
import { childrenOf, processTree, residentBytes, signalProcess } from './process-tree.js';
import { SANDBOX_INIT } from './sandbox-init.js';
import { spawnOnTerminal, spawnPiped, type Spawned } from './spawned.js';

export interface BubblewrapOptions {
  /** Absolute path of the bwrap binary. */
  bwrap: string;
  /** A directory of the platform's (under its 0700 data dir) for the init and the user files. */
  stateDir: string;
}

/**
 * Every program in its own bubblewrap sandbox, started as root and dropped to the app's real uid
 * inside (feasibility notes, trap 1 option b). Signals follow trap 3: without a terminal, our init
 * is pid 1 (`--as-pid-1`) and is signalled through the pid bwrap reports on `--info-fd`;
 * `--die-with-parent` ends every sandbox with the platform, even on `kill -9`.
 */
export class BubblewrapSandbox implements Sandbox {
  readonly kind = 'bubblewrap' as const;
  readonly note = 'every process runs in a bubblewrap sandbox as its app\'s own user';
  private readonly initFile: string;
  private readonly users = new Set<string>();
  private readonly granted = new Set<string>();

  constructor(private readonly options: BubblewrapOptions) {
    mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
    this.initFile = join(options.stateDir, 'init.sh');
    writeFileSync(this.initFile, SANDBOX_INIT, { mode: 0o644 });
  }

  pathInside(bind: SandboxBind): string {
    return bind.target;
  }

  async grant(dir: string, user: AppUser): Promise<void> {
    const key = `${dir}\0${user.uid}`;
    if (this.granted.has(key)) return;
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
    });
    if (tty) {
      // node-pty puts PWD (the host cwd) in the environment; the process sees its own.
      const env = { ...request.env, PWD: request.cwd };
      const spawned = spawnOnTerminal(this.options.bwrap, args, { env, cwd: '/', columns: tty.columns, rows: tty.rows, output: (chunk) => request.output('stdout', chunk) });
      return onTerminal(spawned);
    }
    const spawned = spawnPiped(this.options.bwrap, args, { env: request.env, cwd: '/', stdin: request.stdin, fd3: true, output: request.output });
    return withInit(spawned);
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

/**
 * Without a terminal: SIGTERM and SIGINT go to the init (pid 1 inside, whose host pid bwrap
 * writes to fd 3), which passes them on; SIGKILL goes to bwrap, whose death kills the init and
 * with it the whole pid namespace.
 */
function withInit(spawned: Spawned): SandboxedProcess {
  let initPid: number | null = null;
  const pending: NodeJS.Signals[] = [];
  let info = '';
  spawned.fd3?.on('data', (chunk: Buffer) => {
    info += chunk.toString();
    const match = /"child-pid"\s*:\s*(\d+)/.exec(info);
    if (match && initPid === null) {
      initPid = Number(match[1]);
      for (const signal of pending.splice(0)) signalProcess(initPid, signal);
    }
  });
  return {
    write: (chunk) => spawned.write(chunk),
    endInput: () => spawned.endInput(),
    resize: () => undefined,
    signal: (signal) => {
      if (signal === 'SIGKILL') return signalProcess(spawned.pid, 'SIGKILL');
      if (initPid === null) pending.push(signal);
      else signalProcess(initPid, signal);
    },
    usage: () => {
      if (initPid === null) return { pid: null, rssBytes: null };
      return { pid: childrenOf(initPid)[0] ?? null, rssBytes: residentBytes(processTree(initPid)) };
    },
    exit: spawned.exit,
  };
}

/**
 * On a terminal: bwrap is the session leader and its reaper pid 1 inside; Ctrl-C is the byte the
 * terminal turns into SIGINT for whatever runs in its foreground; any other stop ends it all.
 */
function onTerminal(spawned: Spawned): SandboxedProcess {
  const reaper = () => (spawned.pid === null ? null : (childrenOf(spawned.pid)[0] ?? null));
  return {
    write: (chunk) => spawned.write(chunk),
    endInput: () => spawned.endInput(),
    resize: (columns, rows) => spawned.resize(columns, rows),
    signal: (signal) => {
      if (signal === 'SIGINT') spawned.write(new Uint8Array([3]));
      else signalProcess(spawned.pid, 'SIGKILL');
    },
    usage: () => {
      const pid1 = reaper();
      if (pid1 === null) return { pid: null, rssBytes: null };
      return { pid: childrenOf(pid1)[0] ?? null, rssBytes: residentBytes(processTree(pid1)) };
    },
    exit: spawned.exit,
  };
}
