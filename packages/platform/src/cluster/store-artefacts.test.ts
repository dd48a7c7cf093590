import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { PostgresDatabases } from '../test-support/postgres-databases.js';
import { testSecrets } from '../test-support/sealer.js';
import { ARTEFACT_CHUNK_BYTES, StoreArtefacts } from './store-artefacts.js';

const databases = new PostgresDatabases();
const stores: KyselyStore[] = [];
beforeAll(() => databases.start(), 60_000);
afterAll(async () => {
  for (const store of stores) await store.close();
  await databases.stop();
}, 60_000);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The bytes in uneven pieces, as a network delivers them. */
async function* pieces(data: Buffer, size = 100_003): AsyncIterable<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<{ data: Buffer; largest: number }> {
  const parts: Buffer[] = [];
  let largest = 0;
  for await (const part of body) {
    parts.push(Buffer.from(part));
    largest = Math.max(largest, part.length);
  }
  return { data: Buffer.concat(parts), largest };
}

async function chunkRows(store: KyselyStore): Promise<number> {
  const db = store.kysely as unknown as Kysely<{ artefact_chunks: { name: string } }>;
  return (await db.selectFrom('artefact_chunks').select('name').execute()).length;
}

const dialects: [string, () => Promise<KyselyStore>][] = [
  ['sqlite', () => openSqliteStore(':memory:', testSecrets())],
  ['postgres', async () => openPostgresStore(await databases.fresh(), testSecrets())],
];

describe.each(dialects)('artefacts in the store (%s)', (_dialect, open) => {
  it('stores an artefact in 1 MiB rows and streams it back chunk by chunk, with its sha256 and size', async () => {
    const store = await open();
    stores.push(store);
    const artefacts = new StoreArtefacts(store.kysely);
    const data = randomBytes(ARTEFACT_CHUNK_BYTES * 2 + 12_345);
    expect(await artefacts.put('slug/app-1/abc', sha256(data), pieces(data))).toEqual({ sizeBytes: data.length });
    expect(await chunkRows(store)).toBe(3);
    const opened = await artefacts.open('slug/app-1/abc');
    expect(opened).toMatchObject({ sha256: sha256(data), sizeBytes: data.length });
    const read = await collect(opened!.body);
    expect(read.data.equals(data)).toBe(true);
    expect(read.largest).toBeLessThanOrEqual(ARTEFACT_CHUNK_BYTES);
    expect(await artefacts.open('slug/app-1/other')).toBeNull();
  });

  it('refuses an artefact whose sha256 is not the one announced, keeping nothing and leaving the stored one as it was', async () => {
    const store = await open();
    stores.push(store);
    const artefacts = new StoreArtefacts(store.kysely);
    const first = randomBytes(5000);
    await artefacts.put('source/b1', sha256(first), pieces(first, 1000));
    const altered = Buffer.from(first);
    altered[4000] = (altered[4000] as number) ^ 1;
    await expect(artefacts.put('source/b1', sha256(first), pieces(altered, 1000))).rejects.toMatchObject({ code: 'ARTEFACT_DIGEST_MISMATCH' });
    await expect(artefacts.put('source/b2', sha256(first), pieces(altered, 1000))).rejects.toMatchObject({ code: 'ARTEFACT_DIGEST_MISMATCH' });
    expect(await artefacts.open('source/b2')).toBeNull();
    expect((await collect((await artefacts.open('source/b1'))!.body)).data.equals(first)).toBe(true);
    expect(await chunkRows(store)).toBe(1);
  });

  it('replaces an artefact of the same name whole, deletes one, and deletes an app\'s slugs by prefix only', async () => {
    const store = await open();
    stores.push(store);
    const artefacts = new StoreArtefacts(store.kysely);
    const put = (name: string, data: Buffer) => artefacts.put(name, sha256(data), pieces(data));
    const small = randomBytes(10);
    await put('slug/app-1/s1', randomBytes(ARTEFACT_CHUNK_BYTES + 1));
    await put('slug/app-1/s1', small);
    expect((await collect((await artefacts.open('slug/app-1/s1'))!.body)).data.equals(small)).toBe(true);
    await put('slug/app-1/s2', small);
    await put('slug/app-10/s1', small);
    await put('source/app-1', small);
    expect(await artefacts.deletePrefix('slug/app-1/')).toBe(2);
    expect(await artefacts.open('slug/app-1/s2')).toBeNull();
    expect(await artefacts.open('slug/app-10/s1')).not.toBeNull();
    await artefacts.delete('source/app-1');
    expect(await artefacts.open('source/app-1')).toBeNull();
    expect(await chunkRows(store)).toBe(1);
  });

  it('refuses an artefact larger than its cap with ARTEFACT_TOO_LARGE, keeping none of its chunks', async () => {
    const store = await open();
    stores.push(store);
    const artefacts = new StoreArtefacts(store.kysely, () => new Date(), ARTEFACT_CHUNK_BYTES + 10);
    const fits = randomBytes(ARTEFACT_CHUNK_BYTES + 10);
    await artefacts.put('slug/app-1/fits', sha256(fits), pieces(fits));
    const big = randomBytes(ARTEFACT_CHUNK_BYTES * 2 + 11);
    await expect(artefacts.put('slug/app-1/big', sha256(big), pieces(big))).rejects.toMatchObject({ code: 'ARTEFACT_TOO_LARGE' });
    expect(await artefacts.open('slug/app-1/big')).toBeNull();
    expect(await chunkRows(store)).toBe(2);
  });

  it('refuses names that are not artefact names', async () => {
    const store = await open();
    stores.push(store);
    const artefacts = new StoreArtefacts(store.kysely);
    for (const name of ['../etc/passwd', 'slug/../x', 'slug', 'slug//x', '/slug/a/b']) {
      await expect(artefacts.open(name), name).rejects.toMatchObject({ code: 'ARTEFACT_NOT_FOUND' });
    }
  });
});
