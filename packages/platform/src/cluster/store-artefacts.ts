import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DozenError } from '@dozen/contracts/errors';
import { sql } from '../store/kysely-runtime.js';
import type { Database } from '../store/schema.js';
import type { Artefacts } from './cluster-ports.js';

/** The artefact tables (migration 021-build-jobs). */
interface ArtefactTables {
  artefacts: { name: string; sha256: string; size_bytes: number; created_at: string };
  artefact_chunks: { name: string; seq: number; data: Uint8Array };
}

/** How much of an artefact one row holds. */
export const ARTEFACT_CHUNK_BYTES = 1024 * 1024;

/** Names as the ports give them: `source/<build id>`, `slug/<app id>/<slug id>`; never a path trick. */
const NAME = /^[a-z]+(\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){1,3}$/;

export function checkArtefactName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) throw new DozenError('ARTEFACT_NOT_FOUND', `There is no artefact ${JSON.stringify(name)}: artefact names are like source/<build id> or slug/<app id>/<slug id>.`);
}

/**
 * Artefacts in the store: a name -> sha256/size row, the bytes in 1 MiB rows. A put writes its
 * chunks under a name of its own while it hashes them, then (only when the sha256 is the one
 * announced) replaces the artefact in one transaction: a reader sees the old artefact or the new,
 * a refused put leaves nothing. Reads go chunk by chunk: never the whole artefact in memory.
 */
export class StoreArtefacts implements Artefacts {
  private readonly db: Kysely<ArtefactTables>;

  /** `maxBytes`: the largest artefact a put accepts (ARTEFACT_TOO_LARGE beyond it; its chunks removed). */
  constructor(db: Kysely<Database>, private readonly now: () => Date = () => new Date(), private readonly maxBytes = Number.POSITIVE_INFINITY) {
    this.db = db as unknown as Kysely<ArtefactTables>;
  }

  async put(name: string, sha256: string, body: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }> {
    checkArtefactName(name);
    const partial = `partial/${randomUUID()}`;
    try {
      const { digest, sizeBytes } = await this.writeChunks(partial, body, name);
      if (digest !== sha256.toLowerCase()) {
        throw new DozenError('ARTEFACT_DIGEST_MISMATCH', `Artefact ${name} was refused: its sha256 is ${digest}, not ${sha256} as announced (${sizeBytes} bytes received).`);
      }
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('artefact_chunks').where('name', '=', name).execute();
        await trx.updateTable('artefact_chunks').set({ name }).where('name', '=', partial).execute();
        await trx.deleteFrom('artefacts').where('name', '=', name).execute();
        await trx.insertInto('artefacts').values({ name, sha256: digest, size_bytes: sizeBytes, created_at: this.now().toISOString() }).execute();
      });
      return { sizeBytes };
    } finally {
      await this.db.deleteFrom('artefact_chunks').where('name', '=', partial).execute();
    }
  }

  private async writeChunks(name: string, body: AsyncIterable<Uint8Array>, artefact: string): Promise<{ digest: string; sizeBytes: number }> {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (upTo: number) => {
      const all = Buffer.concat(pending);
      const data = all.subarray(0, upTo);
      const rest = all.subarray(upTo);
      pending = rest.length > 0 ? [Buffer.from(rest)] : [];
      pendingBytes = rest.length;
      await this.db.insertInto('artefact_chunks').values({ name, seq: seq++, data }).execute();
    };
    for await (const chunk of body) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      if (sizeBytes > this.maxBytes) throw new DozenError('ARTEFACT_TOO_LARGE', `Artefact ${artefact} was refused: it is larger than ${this.maxBytes} bytes.`);
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      while (pendingBytes >= ARTEFACT_CHUNK_BYTES) await flush(ARTEFACT_CHUNK_BYTES);
    }
    if (pendingBytes > 0) await flush(pendingBytes);
    return { digest: hash.digest('hex'), sizeBytes };
  }

  async open(name: string): Promise<{ sha256: string; sizeBytes: number; body: AsyncIterable<Uint8Array> } | null> {
    checkArtefactName(name);
    const row = await this.db.selectFrom('artefacts').select(['sha256', 'size_bytes']).where('name', '=', name).executeTakeFirst();
    if (!row) return null;
    const chunks = (await this.db.selectFrom('artefact_chunks').select('seq').where('name', '=', name).orderBy('seq').execute()).map((c) => c.seq);
    const db = this.db;
    async function* body(): AsyncIterable<Uint8Array> {
      for (const seq of chunks) {
        const chunk = await db.selectFrom('artefact_chunks').select('data').where('name', '=', name).where('seq', '=', seq).executeTakeFirst();
        if (!chunk) return;
        yield chunk.data;
      }
    }
    return { sha256: row.sha256, sizeBytes: Number(row.size_bytes), body: body() };
  }

  async delete(name: string): Promise<void> {
    checkArtefactName(name);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('artefacts').where('name', '=', name).execute();
      await trx.deleteFrom('artefact_chunks').where('name', '=', name).execute();
    });
  }

  /** Every artefact whose name starts with `prefix` (an app's slugs when the app is removed). */
  async deletePrefix(prefix: string): Promise<number> {
    const names = (await this.list(prefix)).map((r) => r.name);
    for (const name of names) await this.delete(name);
    return names.length;
  }

  /** The artefacts whose name starts with `prefix`, with when each was stored. */
  async list(prefix: string): Promise<{ name: string; createdAt: Date }[]> {
    const rows = await this.db.selectFrom('artefacts').select(['name', 'created_at']).where(sql<string>`substr(name, 1, ${prefix.length})`, '=', prefix).execute();
    return rows.map((r) => ({ name: r.name, createdAt: new Date(r.created_at) }));
  }

  /** The names of puts in progress (`partial/<uuid>`), or left behind by an api that died mid-put. */
  async partials(): Promise<string[]> {
    const prefix = 'partial/';
    const rows = await this.db.selectFrom('artefact_chunks').select('name').distinct().where(sql<string>`substr(name, 1, ${prefix.length})`, '=', prefix).execute();
    return rows.map((r) => r.name);
  }
}
