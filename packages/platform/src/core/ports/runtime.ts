import type { AppUser, ConfigVars, Formation, ProcessStatus, ProcessTypes, ProcessTypeSettings, SlugRuntime } from '../model.js';
import type { ObservedRuntime } from '../formation-plan.js';

/** What the core needs to run an app's processes. */

/** Everything the runtime needs to run one release of an app. */
export interface RunTarget {
  app: string;
  appId: string;
  release: number;
  slugId: string;
  config: ConfigVars;
  /** Keys of `config` that add-on attachments set: their servers are reachable from the app's network. */
  addonVars?: readonly string[];
  processTypes: ProcessTypes;
  formation: Formation;
  runtime: SlugRuntime;
  /** The app's own unprivileged user (sandboxed processes run as it). */
  user: AppUser;
  /** Per process type overrides of grace period, boot timeout and rollout strategy. */
  settings?: Record<string, ProcessTypeSettings>;
  /** Scorecard checks the app requires (`scorecard:require`, issue 18): a process failing one does not serve. */
  requiredChecks?: string[];
}

export interface OneOffRequest {
  command: string[];
  onStdout(chunk: Uint8Array): void;
  onStderr(chunk: Uint8Array): void;
  /** Process name in logs and env (default `run.NNNN`), e.g. `release.7` for the release phase. */
  name?: string;
  /** Killed (the whole group) after this long; the exit then reports SIGKILL. */
  timeoutMs?: number;
  /** Set on top of the release's env (an add-on client's credentials), never logged. */
  env?: Record<string, string>;
  /** Run on a terminal of this size (stdout then carries everything; stderr stays empty). */
  tty?: { columns: number; rows: number; term: string };
  /** Its process size (`dozen run --size`); default: the default size. */
  size?: string;
}

export interface OneOff {
  readonly name: string;
  writeStdin(chunk: Uint8Array): void;
  endStdin(): void;
  kill(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
  /** Resizes its terminal (no effect without one). */
  resize(columns: number, rows: number): void;
  /** Flow control for a caller that cannot keep up: the process blocks on its output meanwhile. */
  pauseOutput(): void;
  resumeOutput(): void;
  readonly exit: Promise<{ code: number | null; signal: string | null }>;
}

export interface Runtime {
  /** Makes the runtime run `target` for `app` (null: nothing) and converge to it from now on. */
  converge(app: string, target: RunTarget | null): void;
  /**
   * Moves `app` to `target`, resolving once its processes are up, and converges to it from then
   * on (the target is handed over once); on failure the previous target stays and the promise
   * rejects with RELEASE_BOOT_FAILED. `abandoned` aborted (its caller went away) takes it back the same way.
   */
  rollout(target: RunTarget, progress: (line: string) => void, abandoned?: AbortSignal): Promise<void>;
  list(app: string): Promise<ProcessStatus[]>;
  /** Restarts every process, those of a type (`web`) or one process (`web.2`); web rolls. */
  restart(app: string, selector?: string): Promise<void>;
  /**
   * Stops one process (SIGTERM, grace, SIGKILL): a one-off for good; a formation process is then
   * started again by the reconcile loop, as Heroku's `ps:stop` does.
   */
  stop(app: string, process: string): Promise<void>;
  /** What runs for `app` now, for the pure planner to plan a dry run from. */
  observe(app: string): Promise<ObservedRuntime>;
  /** Stops every process of the app and forgets it. */
  remove(app: string): Promise<void>;
  runOneOff(target: RunTarget, request: OneOffRequest): OneOff;
  /** This process lets go of the runtime (a local one stops its processes; the edge's keeps them). */
  shutdown(): Promise<void>;
}
