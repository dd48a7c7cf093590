import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The keys of every add-on on the platform's redis-server, one file per ACL user (`<user>.jsonl`:
 * each line a key, its remaining time to live and its DUMP payload, Redis' own RDB serialisation),
 * and their load back with RESTORE. Keys are grouped by their prefix, `<user>:`.
 */
export async function dumpRedisKeys(adminUrl: string, dest: string): Promise<number> {
  const client = await connect(adminUrl);
  const files = new Map<string, string[]>();
  let count = 0;
  try {
    const keyspace = String(await client.call('INFO', 'keyspace'));
    for (const db of [...keyspace.matchAll(/^db(\d+):/gm)].map((m) => m[1] as string)) {
      await client.select(Number(db));
      let cursor = '0';
      do {
        const [next, keys] = await client.scanBuffer(cursor, 'COUNT', 1000);
        cursor = String(next);
        for (const key of keys) {
          const payload = await client.dumpBuffer(key);
          if (payload === null) continue;
          const ttl = await client.pttl(key);
          const user = key.toString('utf8').split(':')[0] ?? '';
          const line = JSON.stringify({ db: Number(db), key: key.toString('base64'), ttl: ttl > 0 ? ttl : 0, value: payload.toString('base64') });
          files.set(user, [...(files.get(user) ?? []), line]);
          count += 1;
        }
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
  await mkdir(dest, { recursive: true, mode: 0o700 });
  for (const [user, lines] of files) await writeFile(join(dest, `${user.replace(/[^A-Za-z0-9_-]/g, '_') || '_'}.jsonl`), `${lines.join('\n')}\n`, { mode: 0o600 });
  return count;
}

/** Loads every file `dumpRedisKeys` wrote (replacing keys of the same name), then removes them. */
export async function loadRedisKeys(adminUrl: string, dir: string): Promise<number> {
  const client = await connect(adminUrl);
  let count = 0;
  try {
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.jsonl'))) {
      for await (const line of createInterface({ input: createReadStream(join(dir, file)) })) {
        if (line.trim() === '') continue;
        const { db, key, ttl, value } = JSON.parse(line) as { db: number; key: string; ttl: number; value: string };
        await client.select(db);
        await client.call('RESTORE', Buffer.from(key, 'base64'), String(ttl), Buffer.from(value, 'base64'), 'REPLACE');
        count += 1;
      }
    }
  } finally {
    client.disconnect();
  }
  await rm(dir, { recursive: true, force: true });
  return count;
}

async function connect(adminUrl: string) {
  const { Redis } = await import('ioredis');
  const client = new Redis(adminUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
