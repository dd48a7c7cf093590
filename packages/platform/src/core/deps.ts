import type { AppLocks } from './app-locks.js';
import type { BuildOutputs, Builder, Clock, GitService, Ids, LogReader, LogSink, Runtime, SourceIntake, Store } from './ports.js';

export interface CoreSettings {
  /** Public URL of an app's web processes. */
  webUrl(app: string): string;
  maxProcessesPerType: number;
}

/** Everything a use case may touch; built once by main.ts. */
export interface CoreDeps {
  store: Store;
  runtime: Runtime;
  intake: SourceIntake;
  builder: Builder;
  buildOutputs: BuildOutputs;
  logs: LogSink & LogReader;
  clock: Clock;
  ids: Ids;
  locks: AppLocks;
  settings: CoreSettings;
  git: GitService;
}
