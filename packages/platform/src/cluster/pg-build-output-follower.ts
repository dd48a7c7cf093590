import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { sql } from '../store/kysely-runtime.js';

export interface FollowOptions {
  /** How long a follower waits for an output that is not open yet (a build just created elsewhere); default 10 s. */
  waitForOpenMs: number;
  /** A follower reads again this often even without a notification (ms); default 2000. */
  pollMs: number;
}

interface FollowDeps extends FollowOptions {
  db: Kysely<Database>;
  stored(buildId: string): Promise<string | null | undefined>;
  /** Calls `wake` when the build's output is notified, until the returned function is called. */
  wait(buildId: string, wake: () => void): () => void;
}

interface Header {
  closed: boolean;
  writer_live: boolean;
}

const PAGE = 1000;
export const WRITER_GONE_NOTICE = '[output ended: the process writing it went away]\n';

/**
 * Follows a build's output from the tables, in a process that does not write it: from the first
 * line, then as notified, until it is closed (what was read after seeing it closed is all there
 * is) or its writer's session has ended. An output with no rows is what the store kept, once the
 * build has ended; while it has not, the follower waits a little for the writer to open it.
 */
export async function* followStoredOutput(buildId: string, deps: FollowDeps): AsyncGenerator<string> {
  let woken = false;
  let wakeUp: (() => void) | null = null;
  const stop = deps.wait(buildId, () => {
    woken = true;
    wakeUp?.();
  });
  try {
    let next = 0;
    const waitingSince = Date.now();
    for (;;) {
      woken = false;
      const header = await readHeader(deps.db, buildId);
      if (!header) {
        if (next > 0) return; // removed under the reader (kept outputs rotate): the store has it
        const stored = await deps.stored(buildId);
        if (stored !== null && stored !== undefined) return void (yield stored);
        if (Date.now() - waitingSince > deps.waitForOpenMs) return;
      } else {
        const rows = (await sql<{ seq: number; text: string }>`SELECT seq, text FROM cluster_build_output_lines WHERE build_id = ${buildId} AND seq >= ${next} ORDER BY seq LIMIT ${PAGE}`.execute(deps.db)).rows;
        for (const row of rows) yield row.text;
        next = (rows.at(-1)?.seq ?? next - 1) + 1;
        if (rows.length === PAGE) continue;
        if (header.closed) return;
        if (!header.writer_live) return void (yield WRITER_GONE_NOTICE);
      }
      if (woken) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        const timer = setTimeout(resolve, deps.pollMs);
        timer.unref();
        if (woken) resolve();
      });
      wakeUp = null;
    }
  } finally {
    stop();
  }
}

async function readHeader(db: Kysely<Database>, buildId: string): Promise<Header | null> {
  const rows = (await sql<Header>`SELECT closed_at IS NOT NULL AS closed,
      EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = o.writer_pid AND a.backend_start::text = o.writer_start) AS writer_live
    FROM cluster_build_outputs o WHERE build_id = ${buildId}`.execute(db)).rows;
  return rows[0] ?? null;
}
