/**
 * What the runtime saw of one process of a release (issue 18, runtime evidence): measured by the
 * edge as the process starts, runs and stops, sent to the control plane, stored per release and
 * process (one record per kind: a newer one replaces the older), graded by runtime-checks.ts.
 */
export type Evidence =
  /** Its LISTEN sockets on PORT (from /proc/<pid>/net/tcp{,6}) and ms from spawn to accepting (null: never). */
  | { kind: 'listen'; value: { port: number; addresses: string[]; acceptMs: number | null } }
  /** ms from spawn to up (bound and healthy), or the boot that failed (`ready: false`). */
  | { kind: 'boot'; value: { ms: number; ready: boolean } }
  /** A stop: ms from SIGTERM to exit, whether SIGKILL was needed, and the grace period it had. */
  | { kind: 'stop'; value: { ms: number; killed: boolean; graceMs: number } }
  /** `*.log` files under /app or /tmp its processes had open (readlink of /proc/<pid>/fd), over `samples` samples. */
  | { kind: 'log-files'; value: { paths: string[]; samples: number } }
  /** Its main process exited on its own (status `code`) while `leftovers` processes it started still ran. */
  | { kind: 'daemonized'; value: { code: number; leftovers: number } }
  /** Paths its own output said a write was refused on (EROFS: the slug is read-only). */
  | { kind: 'write-refused'; value: { paths: string[] } };

export type EvidenceKind = Evidence['kind'];

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['listen', 'boot', 'stop', 'log-files', 'daemonized', 'write-refused'];

/** One piece of evidence about process `process` (`web.1`) of release v`release` of an app. */
export type EvidenceRecord = Evidence & {
  appId: string;
  app: string;
  release: number;
  process: string;
  /** ISO time it was measured. */
  at: string;
};

/** Where the runtime sends what it measured (the edge link, or the store in one process). */
export interface EvidenceSink {
  report(record: EvidenceRecord): void;
}
