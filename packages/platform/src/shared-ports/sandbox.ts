/** Between adapters (no core file uses it): the runtime and the builder run programs in it. */
import type { AppUser } from '../core/model.js';

export interface SandboxBind {
  /** A path on the host. */
  source: string;
  /** Where the process sees it. */
  target: string;
  writable: boolean;
}

export interface SandboxRequest {
  /** argv[0] is a path or a name looked up in env.PATH, as the process sees the filesystem. */
  argv: string[];
  /** The working directory as the process sees it (a bind target). */
  cwd: string;
  /** The whole environment: nothing else is added. */
  env: Record<string, string>;
  user: AppUser;
  binds: SandboxBind[];
  /** Whether stdin is a pipe (`write`, `endInput`); otherwise it reads /dev/null. */
  stdin: boolean;
  /**
   * A network namespace to join (a path under /run/netns); absent: the host's network. Only a
   * sandbox that runs as root can join one; the unsandboxed fallback has no isolation to give.
   */
  network?: string | null | undefined;
  /** Run on a terminal: output then arrives as 'stdout' only. */
  tty?: { columns: number; rows: number } | undefined;
  output(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
  /** Its memory, pids, CPU weight and /tmp (enforced where the sandbox has cgroups). */
  limits?: ProcessLimits | undefined;
  /**
   * Say on stderr (`dozen-init: exited 0 leaving N`) when the program exits 0 on its own while
   * processes it started still run (it daemonized): the runtime's evidence (issue 18). Where supported.
   */
  reportLeftovers?: boolean | undefined;
}

export interface SandboxedProcess {
  write(chunk: Uint8Array): void;
  endInput(): void;
  resize(columns: number, rows: number): void;
  /** Flow control: stop reading its output (it blocks once the pipe is full) and go on. */
  pauseOutput(): void;
  resumeOutput(): void;
  /**
   * SIGTERM reaches every process it started; SIGINT its main process (group); SIGKILL ends
   * everything at once.
   */
  signal(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
  /**
   * The host pid of the main process, the memory of all its processes and their CPU time
   * (user + system, seconds, since it started), when known.
   */
  usage(): { pid: number | null; rssBytes: number | null; cpuSeconds: number | null };
  /** What counts against its memory quota (anonymous + tmpfs), when its limits are enforced. */
  memoryBytes(): number | null;
  /**
   * The host pids of the program and of everything it started that still runs (the sandbox's
   * own reaper and init left out), for the runtime's evidence (issue 18); absent: not known.
   */
  pids?(): number[];
  /**
   * Resolves once the main process has exited and nothing it started is left. `error` says why
   * it could not start at all.
   */
  readonly exit: Promise<{ code: number | null; signal: string | null; error: string | null; memoryExceeded?: boolean }>;
}

/**
 * Runs a program isolated from the host and from other apps: read-only and writable binds, a
 * private /tmp, an unprivileged uid, its own pid namespace, the host's network. Used for app
 * processes (and, later, builds).
 */
export interface Sandbox {
  /** `none`: the fallback that runs programs unsandboxed (it says why in `note`). */
  readonly kind: 'bubblewrap' | 'none';
  readonly note: string;
  /** Which limits are enforced (cgroup v1, v2) or not, for the platform's start log. */
  readonly limitsNote: string;
  /** Where `bind` appears to the process: its target when sandboxed, its source otherwise. */
  pathInside(bind: SandboxBind): string;
  /** Lets `user` read `dir` (a read-only bind it gets). Idempotent. */
  grant(dir: string, user: AppUser): Promise<void>;
  run(request: SandboxRequest): SandboxedProcess;
  /** At the platform's stop, once every process has ended: releases what it set up (cgroup folders). */
  close(): void;
}

/** The limits of one process (its sandbox and everything it starts); cgroups enforce them. */
export interface ProcessLimits {
  /** The size's name (for log lines). */
  size: string;
  /** Over it the app's log gets R14 lines (sampled). */
  memoryQuotaBytes: number;
  /** The cgroup's hard limit: past it the kernel kills the process (R15). */
  memoryLimitBytes: number;
  pidsMax: number;
  /** Relative CPU weight, 1..10000 on the cgroup v2 scale (100 is the default). */
  cpuWeight: number;
  /** The size of its private /tmp (tmpfs pages count against the memory quota). */
  tmpBytes: number;
}
