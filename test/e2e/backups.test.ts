import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirNames, freshPlatform, restoreInto, sharedSecretKey, withRedis } from './support/backups.js';
import { eventually, TestPlatform } from './support/platform.js';

interface WireRelease {
  version: number;
  slug: string | null;
  current: boolean;
  description: string;
}

/** The manifest.json of an archive (its first entry). */
async function manifestOf(file: string): Promise<{ entries: { path: string }[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-manifest-'));
  try {
    await extract({ file, cwd: dir }, ['manifest.json']);
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { entries: { path: string }[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Entry {
  id: number;
  name: string;
  message: string;
  words: number | null;
}

/**
 * Issue 15, acceptance 3: a platform with three apps (the guestbook on Postgres and Redis holding
 * data, two node-web apps), backed up and restored onto a fresh data dir: every app serves the same
 * release and answers the same, the guestbook's entries and its queued Redis jobs are there. Then
 * damaged copies of the same archive are refused before anything is changed.
 */
describe('backups: the whole platform into one archive, and back onto a fresh data dir', () => {
  const key = sharedSecretKey();
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-backups-'));
  const archive = join(scratch, 'platform.tar.gz');
  let source: TestPlatform;
  let restored: TestPlatform | null = null;
  const before: Record<string, { releases: WireRelease[]; body: string }> = {};

  const releases = async (platform: TestPlatform, app: string) => (JSON.parse((await platform.ok(['releases', '-a', app, '--json'])).stdout) as WireRelease[]).map(({ version, slug, current, description }) => ({ version, slug, current, description }));
  const entries = async (platform: TestPlatform) => {
    const response = await platform.send('guestbook', 'GET', '/entries');
    expect(response.status, response.body).toBe(200);
    return (JSON.parse(response.body) as Entry[]).map(({ id, name, message }) => ({ id, name, message })).sort((a, b) => a.id - b.id);
  };
  const redisUrl = async (platform: TestPlatform) => (JSON.parse((await platform.ok(['config', '-a', 'guestbook', '--json'])).stdout) as Record<string, string>).REDIS_URL as string;
  const queued = async (url: string) => withRedis(url, (redis) => redis.llen(`${decodeURIComponent(new URL(url).username)}:jobs`));

  beforeAll(async () => {
    source = await TestPlatform.start(key);
  });
  afterAll(async () => {
    await restored?.destroy();
    await source?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('backs up three apps, the guestbook with entries in Postgres and jobs waiting in Redis', async () => {
    await source.ok(['apps:create', 'guestbook']);
    await source.ok(['addons:create', 'postgres', '-a', 'guestbook']);
    await source.ok(['addons:create', 'redis', '-a', 'guestbook']);
    for (const app of ['hello', 'greeter']) await source.ok(['apps:create', app]);
    await Promise.all([
      source.ok(['deploy', 'examples/guestbook', '-a', 'guestbook']),
      source.ok(['deploy', 'examples/node-web', '-a', 'hello']),
      source.ok(['deploy', 'examples/node-web', '-a', 'greeter']),
    ]);
    await source.ok(['config:set', 'GREETING=from the greeter', '-a', 'greeter']);
    // No worker: the jobs stay queued in Redis, data that only the Redis backup holds.
    for (const [name, message] of [['Ada', 'First entry'], ['Grace', 'Second entry, after the first']]) {
      const response = await source.send('guestbook', 'POST', '/entries', { name, message });
      expect(response.status, response.body).toBe(201);
    }
    expect(await queued(await redisUrl(source))).toBe(2);
    for (const app of ['guestbook', 'hello', 'greeter']) before[app] = { releases: await releases(source, app), body: (await source.http(app, app === 'guestbook' ? '/entries' : '/')).body };

    const made = await source.ok(['backups:create', '--to', archive]);
    expect(made.stdout).toMatch(/Backup \S+: 3 apps/);
    expect(made.stdout).toContain('holds no master key');
    const listed = JSON.parse((await source.ok(['backups', '--json'])).stdout) as { id: string; bytes: number; apps: number }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ apps: 3, bytes: statSync(archive).size });

    // What the archive holds: the store, slugs, the add-on servers' data; no key, no caches.
    const paths = (await manifestOf(archive)).entries.map((e) => e.path);
    for (const part of ['dozen.db', 'addons/postgres/data/PG_VERSION', 'addons/postgres/data/backup_label', 'addons/redis/users.acl']) expect(paths, part).toContain(part);
    expect(paths.some((p) => /^addons\/redis-restore\/dz_\w+\.jsonl$/.test(p))).toBe(true);
    expect(paths.filter((p) => p.startsWith('slugs/')).length).toBeGreaterThan(3);
    expect(paths.filter((p) => p === 'secret-key' || p === 'admin-token' || p.startsWith('cache/'))).toEqual([]);
    // --with-caches adds the build caches.
    const withCaches = JSON.parse((await source.ok(['backups:create', '--with-caches', '--json'])).stdout) as { id: string; withCaches: boolean };
    expect(withCaches.withCaches).toBe(true);
    const cached = join(scratch, 'cached.tar.gz');
    await source.ok(['backups:download', withCaches.id, '--to', cached]);
    expect((await manifestOf(cached)).entries.some((e) => e.path.startsWith('cache/'))).toBe(true);
  });

  it('restores onto a fresh data dir: the same releases answer the same, the entries and the queued jobs are back', async () => {
    // The old platform goes away whole (apps, router, add-on servers): a SIGTERM alone leaves them
    // serving, and the restored embedded servers take the same ports as the old ones.
    await source.ok(['down', '--stop-apps']);
    await source.exited();
    restored = freshPlatform(key);
    const done = await restoreInto(restored, archive, key);
    expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(0);
    expect(done.stdout).toMatch(/Restored backup \S+ \(3 apps\)/);
    await restored.boot();
    const platform = restored;
    for (const app of ['guestbook', 'hello', 'greeter']) {
      expect(await releases(platform, app), app).toEqual(before[app]?.releases);
      const body = await eventually(async () => {
        const response = await platform.http(app, app === 'guestbook' ? '/entries' : '/');
        expect(response.status, response.body).toBe(200);
        return response.body;
      });
      expect(body, app).toBe(before[app]?.body);
    }
    expect((await entries(platform)).map((e) => e.name)).toEqual(['Ada', 'Grace']);
    expect(await queued(await redisUrl(platform))).toBe(2);
    // The jobs are live ones: a worker takes them and the entries get their word counts.
    await platform.ok(['ps:scale', 'worker=1', '-a', 'guestbook']);
    await eventually(async () => {
      const response = await platform.send('guestbook', 'GET', '/entries');
      const words = (JSON.parse(response.body) as Entry[]).map((e) => e.words).sort();
      expect(words).toEqual([2, 5]);
    }, 30_000, 250);
  });

  it('refuses a truncated, a corrupt and a tampered archive before anything is changed', async () => {
    const target = freshPlatform(key);
    try {
      const bytes = readFileSync(archive);
      const truncated = join(scratch, 'truncated.tar.gz');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const corrupt = join(scratch, 'corrupt.tar.gz');
      const flipped = Buffer.from(bytes);
      const at = Math.floor(flipped.length / 3);
      flipped[at] = (flipped[at] as number) ^ 0xff;
      writeFileSync(corrupt, flipped);
      // Well-formed gzip and tar, one slug file changed after the manifest was written.
      const unpacked = join(scratch, 'unpacked');
      rmSync(unpacked, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(unpacked));
      await extract({ file: archive, cwd: unpacked });
      const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as { entries: { path: string }[] };
      const victim = manifest.entries.find((e) => e.path.startsWith('slugs/') && e.path.endsWith('server.js'))?.path as string;
      // The same size, one byte changed: only the digest can tell.
      const code = readFileSync(join(unpacked, victim));
      const middle = Math.floor(code.length / 2);
      code[middle] = code[middle] === 0x20 ? 0x21 : 0x20;
      writeFileSync(join(unpacked, victim), code);
      const tampered = join(scratch, 'tampered.tar.gz');
      await create({ gzip: true, file: tampered, cwd: unpacked }, ['manifest.json', ...dataDirNames(unpacked).filter((n) => n !== 'manifest.json')]);

      const empty = dataDirNames(target.dataDir);
      for (const [file, why] of [[truncated, /cannot be read to the end|is missing/], [corrupt, /cannot be read to the end|does not match|is missing/], [tampered, new RegExp(`${victim.replace(/[.]/g, '\\.')} does not match its sha256`)]] as const) {
        const refused = await restoreInto(target, file, key);
        expect(refused.code, refused.stdout).not.toBe(0);
        expect(refused.stderr).toContain('(BACKUP_ARCHIVE_INVALID');
        expect(refused.stderr).toMatch(why);
        expect(dataDirNames(target.dataDir), file).toEqual(empty);
      }
      // And the real archive still restores there: the refusals left nothing in the way.
      copyFileSync(archive, join(scratch, 'again.tar.gz'));
      const ok = await restoreInto(target, join(scratch, 'again.tar.gz'), key);
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      rmSync(target.dataDir, { recursive: true, force: true });
    }
  });
});
