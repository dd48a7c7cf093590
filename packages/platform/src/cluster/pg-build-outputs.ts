import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { BuildOutputs, OutputWriter } from '../core/ports/build.js';
import { sql } from '../store/kysely-runtime.js';
import type { SessionConnection } from '../store/pg-session-connection.js';
import type { Notifier } from './cluster-ports.js';
import { followStoredOutput, type FollowOptions } from './pg-build-output-follower.js';

/** The channel that says "build X has more output" (the payload is the build's id). */
export const BUILD_OUTPUT_CHANNEL = 'dozen_build_output';

/** As build-output-hub.ts. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
export const TRUNCATED_NOTICE = '[output truncated: over 16 MiB]\n';

export interface PgBuildOutputsOptions extends Partial<FollowOptions> {
  /** The store's database (KyselyStore.kysely); the tables of migration 020-cluster-events. */
  db: Kysely<Database>;
  /** On the process's session connection (PgNotifier). */
  notifier: Notifier;
  /** The process's session connection: its server session names the writer, so followers stop waiting when it dies. */
  session: SessionConnection;
  /** What the store kept of a build that ended (Store.getBuildOutput): answered for builds whose lines are gone. */
  stored?: (buildId: string) => Promise<string | null | undefined>;
  /** Finished outputs kept in the tables for late followers (the newest, all processes together); default 32. */
  keepFinished?: number;
}

interface Output {
  chunks: string[];
  bytes: number;
  truncated: boolean;
  closed: boolean;
  /** Chunks not yet in the table (from this index on). */
  written: number;
  wake: Set<() => void>;
}

/**
 * Build output shared by the processes of a cluster: the process running the deploy `open`s it and
 * writes the lines the builder sends; they go to `cluster_build_output_lines` once per turn of the
 * event loop (one INSERT), with a NOTIFY on BUILD_OUTPUT_CHANNEL. `follow` works in any process:
 * from memory in the writer's, from the table elsewhere (from the first line, then as notified,
 * until the output is closed or its writer's session ends). Bounded per build as BuildOutputHub.
 */
export class PgBuildOutputs implements BuildOutputs {
  private readonly local = new Map<string, Output>();
  private readonly waiting = new Map<string, Set<() => void>>();
  private chain: Promise<void> = Promise.resolve();
  private unlisten: (() => Promise<void>) | null = null;

  private constructor(private readonly options: PgBuildOutputsOptions) {
    options.session.watch({ restored: () => void this.renameWriter().catch(() => undefined) });
  }

  static async open(options: PgBuildOutputsOptions): Promise<PgBuildOutputs> {
    const outputs = new PgBuildOutputs(options);
    outputs.unlisten = await options.notifier.listen(BUILD_OUTPUT_CHANNEL, (buildId) => {
      for (const wake of outputs.waiting.get(buildId) ?? []) wake();
    });
    return outputs;
  }

  open(buildId: string): OutputWriter & { close(): string } {
    const output: Output = { chunks: [], bytes: 0, truncated: false, closed: false, written: 0, wake: new Set() };
    this.local.set(buildId, output);
    const backend = this.options.session.backend;
    this.enqueue(() => sql`INSERT INTO cluster_build_outputs (build_id, writer_pid, writer_start, opened_at) VALUES (${buildId}, ${backend?.pid ?? 0}, ${backend?.start ?? ''}, ${new Date().toISOString()})
      ON CONFLICT (build_id) DO NOTHING`.execute(this.options.db));
    let scheduled = false;
    const changed = () => {
      for (const fn of output.wake) fn();
      output.wake.clear();
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        this.enqueue(() => this.writeLines(buildId, output));
      });
    };
    return {
      line: (text: string) => {
        if (output.closed) return;
        const chunk = text.endsWith('\n') ? text : `${text}\n`;
        if (output.bytes + chunk.length > MAX_OUTPUT_BYTES) {
          if (!output.truncated) output.chunks.push(TRUNCATED_NOTICE);
          output.truncated = true;
        } else {
          output.chunks.push(chunk);
          output.bytes += chunk.length;
        }
        changed();
      },
      close: () => {
        output.closed = true;
        changed();
        this.enqueue(() => this.finish(buildId, output));
        return output.chunks.join('');
      },
    };
  }

  follow(buildId: string): AsyncIterable<string> {
    const output = this.local.get(buildId);
    if (output) return followLocal(output);
    return followStoredOutput(buildId, {
      db: this.options.db,
      stored: this.options.stored ?? (async () => null),
      waitForOpenMs: this.options.waitForOpenMs ?? 10_000,
      pollMs: this.options.pollMs ?? 2000,
      wait: (id, wake) => {
        let set = this.waiting.get(id);
        if (!set) this.waiting.set(id, (set = new Set()));
        set.add(wake);
        return () => {
          set.delete(wake);
          if (set.size === 0) this.waiting.delete(id);
        };
      },
    });
  }

  /** Writes what is queued, stops listening. */
  async close(): Promise<void> {
    await this.chain;
    await this.unlisten?.().catch(() => undefined);
  }

  /** Resolves once everything written so far is in the tables. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(step: () => Promise<unknown>): void {
    this.chain = this.chain.then(step).then(
      () => undefined,
      () => undefined, // the database is away: followers elsewhere miss these lines; the writer's own stay whole
    );
  }

  private async writeLines(buildId: string, output: Output): Promise<void> {
    const from = output.written;
    const texts = output.chunks.slice(from);
    if (texts.length === 0) return;
    const seqs = texts.map((_, i) => from + i);
    await sql`INSERT INTO cluster_build_output_lines (build_id, seq, text) SELECT ${buildId}, s, t FROM unnest(${seqs}::int[], ${texts}::text[]) AS u(s, t) ON CONFLICT DO NOTHING`.execute(this.options.db);
    output.written = from + texts.length;
    await sql`SELECT pg_notify(${BUILD_OUTPUT_CHANNEL}, ${buildId})`.execute(this.options.db);
  }

  /** The last lines, the output marked closed, the oldest finished outputs past `keepFinished` removed. */
  private async finish(buildId: string, output: Output): Promise<void> {
    await this.writeLines(buildId, output);
    this.local.delete(buildId);
    const db = this.options.db;
    await sql`UPDATE cluster_build_outputs SET closed_at = ${new Date().toISOString()} WHERE build_id = ${buildId}`.execute(db);
    await sql`SELECT pg_notify(${BUILD_OUTPUT_CHANNEL}, ${buildId})`.execute(db);
    await db.transaction().execute(async (trx) => {
      // The oldest finished outputs, and those whose writer died an hour ago or more without closing them.
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const gone = sql`(SELECT build_id FROM cluster_build_outputs WHERE closed_at IS NOT NULL ORDER BY closed_at DESC OFFSET ${this.options.keepFinished ?? 32})
        UNION (SELECT build_id FROM cluster_build_outputs o WHERE closed_at IS NULL AND opened_at < ${hourAgo}
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = o.writer_pid AND a.backend_start::text = o.writer_start))`;
      await sql`DELETE FROM cluster_build_output_lines WHERE build_id IN (${gone})`.execute(trx);
      await sql`DELETE FROM cluster_build_outputs WHERE build_id IN (${gone})`.execute(trx);
    });
  }

  /** After a reconnection the open outputs of this process name its new server session. */
  private async renameWriter(): Promise<void> {
    const backend = this.options.session.backend;
    if (!backend) return;
    const ids = [...this.local.keys()];
    await sql`UPDATE cluster_build_outputs SET writer_pid = ${backend.pid}, writer_start = ${backend.start} WHERE build_id = ANY(${ids}::text[]) AND closed_at IS NULL`.execute(this.options.db);
  }
}

async function* followLocal(output: Output): AsyncGenerator<string> {
  let next = 0;
  for (;;) {
    while (next < output.chunks.length) yield output.chunks[next++] as string;
    if (output.closed) return;
    await new Promise<void>((resolve) => output.wake.add(resolve));
  }
}
