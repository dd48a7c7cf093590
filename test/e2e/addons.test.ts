import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalPostgres, type ExternalPostgres } from '../../packages/platform/src/test-support/external-postgres.js';
import { withClient } from '../../packages/platform/src/test-support/pg-resource-client.js';
import { eventually, isAlive, processesUnder, TestPlatform, type CliResult } from './support/platform.js';

interface Entry {
  id: number;
  name: string;
  message: string;
  words: number | null;
  processed_at: string | null;
}

interface WireRelease {
  version: number;
  slug: string | null;
  current: boolean;
  description: string;
}

/**
 * Issue 8: the guestbook on a Postgres and a Redis add-on, through the real CLI and router; then
 * isolation, faults, bad input, and moving the app to an external Postgres by URL.
 */
describe('add-ons: backing services attached by URL', () => {
  let platform: TestPlatform;
  let external: ExternalPostgres;
  const deployOutput: string[] = [];

  const ok = (args: string[], input?: string): Promise<CliResult> => platform.ok(args, input === undefined ? {} : { input });
  const fails = (args: string[], code: string): Promise<CliResult> => platform.fails(args, code);
  const config = async (app: string) => JSON.parse((await ok(['config', '-a', app, '--json'])).stdout) as Record<string, string>;
  const releases = async (app: string) => JSON.parse((await ok(['releases', '-a', app, '--json'])).stdout) as WireRelease[];
  const addonNamed = async (app: string, attachment: string) => {
    const list = JSON.parse((await ok(['addons', '-a', app, '--json'])).stdout) as { name: string; attachments: { app: string; name: string }[] }[];
    const found = list.find((addon) => addon.attachments.some((a) => a.app === app && a.name === attachment));
    if (!found) throw new Error(`${app} has no ${attachment} attachment: ${JSON.stringify(list)}`);
    return found.name;
  };
  const post = async (app: string, name: string, message: string) => {
    const response = await platform.send(app, 'POST', '/entries', { name, message });
    expect(response.status, response.body).toBe(201);
    return JSON.parse(response.body) as Entry;
  };
  const entryCount = async (app: string) => Number(/count\s*\n-+\s*\n\s*(\d+)\s*\n/.exec((await ok(['pg:psql', '-a', app, '-c', 'select count(*) from entries'])).stdout)?.[1]);
  const processed = (app: string, id: number) =>
    eventually(async () => {
      const response = await platform.send(app, 'GET', `/entries/${id}`);
      expect(response.status, response.body).toBe(200);
      const entry = JSON.parse(response.body) as Entry;
      expect(entry.processed_at, response.body).toEqual(expect.any(String));
      return entry;
    }, 30_000, 250);
  /**
   * Migrations run in the release phase (Procfile `release:`) of every release: a `release.N`
   * process says so in the log after the release was created, and the table exists without help.
   */
  const migrated = async (app: string, sinceRelease: number) => {
    const log = (await ok(['logs', '-n', '1500', '-a', app])).stdout;
    const started = `Release phase of v${sinceRelease} started: node migrate.js`;
    expect(log, log).toContain(started);
    const since = log.slice(log.indexOf(started));
    expect(since, since).toMatch(/app\[release\.\d+\]: migrated: table entries is ready/);
    const table = await ok(['pg:psql', '-a', app, '-c', "select to_regclass('entries') is not null as ready"]);
    expect(table.stdout).toMatch(/ready\s*\n-+\s*\n\s*t\s*\n/);
  };

  beforeAll(async () => {
    [platform, external] = await Promise.all([TestPlatform.start(), startExternalPostgres()]);
  });
  afterAll(async () => {
    await platform?.destroy();
    await external?.stop();
  });

  it('1. addons:create postgres and redis, deploy the guestbook: migrated, a POST stores an entry, the worker processes it, pg:psql answers', async () => {
    await ok(['apps:create', 'guestbook']);
    const pg = await ok(['addons:create', 'postgres', '-a', 'guestbook']);
    expect(pg.stdout).toMatch(/Created postgres-\w+ \(postgres:dev\)\.\npostgres-\w+ is attached to guestbook as DATABASE_URL; released v1\./);
    const redis = await ok(['addons:create', 'redis', '-a', 'guestbook']);
    expect(redis.stdout).toContain('attached to guestbook as REDIS_URL; released v2.');
    const vars = await config('guestbook');
    expect(vars.DATABASE_URL).toMatch(/^postgres:\/\/dz_\w+:[0-9a-f]{32}@127\.0\.0\.1:\d+\/dz_\w+$/);
    expect(vars.REDIS_URL).toMatch(/^redis:\/\/dz_\w+:[0-9a-f]{32}@127\.0\.0\.1:\d+\/0$/);

    const deploy = await ok(['deploy', 'examples/guestbook', '-a', 'guestbook']);
    deployOutput.push(deploy.stdout, deploy.stderr);
    expect(deploy.stdout).toContain('Released v3');
    await migrated('guestbook', 3);
    await ok(['ps:scale', 'worker=1', '-a', 'guestbook']);

    const entry = await post('guestbook', 'Ada', 'Hello from the twelve factors');
    expect(entry).toMatchObject({ name: 'Ada', processed_at: null });
    expect(await processed('guestbook', entry.id)).toMatchObject({ id: entry.id, words: 5 });

    const count = await ok(['pg:psql', '-a', 'guestbook', '-c', 'select count(*) from entries']);
    expect(count.stdout).toMatch(/count\s*\n-+\s*\n\s*1\s*\n/);
    expect(count.stderr).toMatch(/Running `psql -c select count\(\*\) from entries` as run\.\d+/);
    const user = decodeURIComponent(new URL(vars.REDIS_URL as string).username);
    expect((await ok(['redis:cli', '-a', 'guestbook', '--', 'llen', `${user}:jobs`])).stdout.trim()).toBe('0');
    expect((await ok(['run', '-a', 'guestbook', '--', 'node', 'admin.js', 'stats'])).stdout.trim()).toBe('{"entries":1,"processed":1,"waiting":0}');
  });

  it("2. isolation: app A's DATABASE_URL cannot open B's database, A's Redis user cannot read B's keys, nobody gets in without credentials", async () => {
    await ok(['apps:create', 'other']);
    await ok(['addons:create', 'postgres', '-a', 'other']);
    await ok(['addons:create', 'redis', '-a', 'other']);
    const [a, b] = [await config('guestbook'), await config('other')];
    const crossed = new URL(a.DATABASE_URL as string);
    crossed.pathname = new URL(b.DATABASE_URL as string).pathname;
    await expect(withClient(crossed.toString(), (client) => client.query('select 1'))).rejects.toThrow(/permission denied for database/);
    await withClient(b.DATABASE_URL as string, (client) => client.query('create table secrets (v text); insert into secrets values ($$b only$$)'));

    const bUser = decodeURIComponent(new URL(b.REDIS_URL as string).username);
    await withRedis(b.REDIS_URL as string, (redis) => redis.set(`${bUser}:secret`, 'b only'));
    await withRedis(a.REDIS_URL as string, async (redis) => {
      await expect(redis.get(`${bUser}:secret`)).rejects.toThrow(/NOPERM/);
      await expect(redis.call('KEYS', '*')).rejects.toThrow(/NOPERM/);
    });
    // No credentials at all: the default user is off.
    expect(await rawRedisCommand(Number(new URL(a.REDIS_URL as string).port), `GET ${bUser}:secret`)).toMatch(/^-NOAUTH/);
  });

  it('`dozen addons` without -a lists every add-on of every app as a table; pg:psql answers SQL piped on stdin (no -c)', async () => {
    const all = JSON.parse((await ok(['addons', '--json'])).stdout) as { name: string; provider: string; plan: string; app: string; attachments: { app: string; name: string }[] }[];
    expect(all.map((a) => `${a.app} ${a.provider}`).sort()).toEqual(['guestbook postgres', 'guestbook redis', 'other postgres', 'other redis']);
    const listed = (await ok(['addons'])).stdout;
    const lines = listed.trimEnd().split('\n');
    expect(lines[0]).toBe('=== Add-ons');
    expect(lines[1]).toMatch(/^Add-on\s+Plan\s+Owner\s+Attached as$/);
    for (const addon of all) {
      const [attachment] = addon.attachments;
      const row = lines.find((line) => line.startsWith(`${addon.name} `));
      expect(row, listed).toMatch(new RegExp(`^${addon.name}\\s+${addon.provider}:dev\\s+${addon.app}\\s+${addon.app}::${attachment?.name}$`));
    }
    expect(lines.filter((line) => /^(postgres|redis)-/.test(line))).toHaveLength(4);
    // One app's listing (-a) is only that app's.
    expect((await ok(['addons', '-a', 'other'])).stdout).not.toContain('guestbook::');

    const piped = await ok(['pg:psql', '-a', 'guestbook'], "select count(*) as entries from entries;\nselect 'from stdin' as source;\n");
    expect(piped.stdout).toMatch(/entries\s*\n-+\s*\n\s*1\s*\n/);
    expect(piped.stdout).toMatch(/source\s*\n-+\s*\n\s*from stdin\s*\n/);
    expect(piped.stderr).toMatch(/Running `psql` as run\.\d+/);
  });

  it('3. credentials are in `config`, and nowhere in the platform log, the app log, the build output or addons:info', async () => {
    const vars = [...Object.values(await config('guestbook')), ...Object.values(await config('other'))].filter((value) => /^(postgres|redis):/.test(value));
    const secrets = vars.map((url) => decodeURIComponent(new URL(url).password));
    expect(secrets.length).toBe(4);
    const info = await ok(['addons:info', 'DATABASE_URL', '-a', 'guestbook']);
    expect(info.stdout).toMatch(/Server:\s+embedded PostgreSQL 18\.\d+ at 127\.0\.0\.1:\d+/);
    const logs = await ok(['logs', '-n', '1500', '-a', 'guestbook']);
    const everything = [platform.logs, logs.stdout, info.stdout, ...deployOutput, readFileSync(join(platform.dataDir, 'addons', 'redis', 'users.acl'), 'utf8')].join('\n');
    expect(everything).toContain('entry 1 by Ada stored');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('4. bad input: unknown provider or plan, bad or taken names, destroy without --confirm, an attachment var changed by hand', async () => {
    const unknown = await fails(['addons:create', 'mysql', '-a', 'guestbook'], 'ADDON_PROVIDER_UNKNOWN');
    expect(unknown.stderr).toContain('the providers are postgres, redis, url');
    expect((await fails(['addons:create', 'postgres:huge', '-a', 'guestbook'], 'ADDON_PLAN_UNKNOWN')).stderr).toContain('its plans are dev, standard');
    await fails(['addons:create', 'postgres', '-a', 'guestbook'], 'ADDON_ATTACHMENT_NAME_TAKEN');
    for (const name of ['1BAD', 'SMTP-URL', 'PORT', 'DOZEN_X', 'A B']) await fails(['addons:attach', 'url', 'smtp://mail.example.com', '--as', name, '-a', 'guestbook'], 'ADDON_ATTACHMENT_NAME_INVALID');
    await fails(['addons:attach', 'url', 'smtp://mail.example.com', '-a', 'guestbook'], 'ADDON_ATTACHMENT_NAME_INVALID');
    await fails(['addons:attach', 'url', 'not a url', '--as', 'SMTP_URL', '-a', 'guestbook'], 'ADDON_URL_INVALID');
    await ok(['config:set', 'SMTP_URL=smtp://set-by-hand', '-a', 'guestbook']);
    await fails(['addons:attach', 'url', 'smtp://mail.example.com', '--as', 'SMTP_URL', '-a', 'guestbook'], 'ADDON_ATTACHMENT_NAME_TAKEN');
    await fails(['config:set', 'DATABASE_URL=postgres://elsewhere/db', '-a', 'guestbook'], 'CONFIG_VAR_ATTACHED');
    await fails(['config:unset', 'REDIS_URL', '-a', 'guestbook'], 'CONFIG_VAR_ATTACHED');
    const database = await addonNamed('guestbook', 'DATABASE_URL');
    await fails(['addons:destroy', database, '-a', 'guestbook'], 'ADDON_DESTROY_UNCONFIRMED');
    await fails(['addons:destroy', database, '-a', 'other', '--confirm', 'other'], 'ADDON_NOT_FOUND');
    await fails(['pg:psql', 'REDIS_URL', '-a', 'guestbook', '-c', 'select 1'], 'ADDON_CLIENT_MISMATCH');
    await fails(['addons:info', 'NOPE_URL', '-a', 'guestbook'], 'ADDON_NOT_FOUND');
    // Any resource by URL, in the issue's own words.
    const mail = await ok(['addons:attach', 'url', '--as', 'MAIL_URL', 'smtp://mailer:mail-secret@mail.example.com:587', '-a', 'other']);
    expect(mail.stdout).toMatch(/url-\w+ is attached to other as MAIL_URL; released v\d+/);
    expect((await config('other')).MAIL_URL).toBe('smtp://mailer:mail-secret@mail.example.com:587');
    const mailInfo = await ok(['addons:info', 'MAIL_URL', '-a', 'other']);
    expect(mailInfo.stdout).toMatch(/Host:\s+mail\.example\.com:587/);
    expect(mailInfo.stdout).not.toContain('mail-secret');
    // Nothing of that changed what serves.
    const entry = await post('guestbook', 'Grace', 'still here');
    expect((await processed('guestbook', entry.id)).words).toBe(2);
  });

  it('5. the embedded Postgres killed behind the platform\'s back is restarted, and the app reconnects', async () => {
    const pidFile = join(platform.dataDir, 'addons', 'postgres', 'data', 'postmaster.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    // Wait on the event with idempotent reads (a new postmaster, the app reading entries again);
    // then the one POST must succeed: re-sending it until it did would hide a failed insert.
    await eventually(async () => expect(Number(readFileSync(pidFile, 'utf8').split('\n')[0])).not.toBe(pid), 30_000, 100);
    await eventually(async () => expect((await platform.send('guestbook', 'GET', '/entries')).status).toBe(200), 30_000, 250);
    const entries = await entryCount('guestbook');
    const entry = await post('guestbook', 'Linus', 'after the crash');
    expect(await entryCount('guestbook')).toBe(entries + 1);
    expect((await processed('guestbook', entry.id)).words).toBe(3);
    expect(Number(readFileSync(pidFile, 'utf8').split('\n')[0])).not.toBe(pid);
    expect(platform.logs).toMatch(/postgres: postgres exited with signal SIGKILL; restarting/);
  });

  it('6. attach to another app, detach, rotate, destroy: each a release; rollback keeps today\'s add-ons', async () => {
    const theirs = await addonNamed('other', 'DATABASE_URL');
    expect((await ok(['addons:attach', theirs, '-a', 'guestbook', '--as', 'OTHER_DATABASE_URL'])).stdout).toMatch(/attached to guestbook as OTHER_DATABASE_URL; released v\d+/);
    const shared = (await config('guestbook')).OTHER_DATABASE_URL as string;
    expect(shared).toBe((await config('other')).DATABASE_URL);
    await ok(['addons:detach', 'OTHER_DATABASE_URL', '-a', 'guestbook']);
    expect(await config('guestbook')).not.toHaveProperty('OTHER_DATABASE_URL');

    // Rolling back to the release that had OTHER_DATABASE_URL does not bring the attachment back.
    const withShared = (await releases('guestbook')).find((r) => r.description.startsWith(`Attach ${theirs}`)) as WireRelease;
    await ok(['rollback', `v${withShared.version}`, '-a', 'guestbook']);
    const afterRollback = await config('guestbook');
    expect(afterRollback).not.toHaveProperty('OTHER_DATABASE_URL');
    expect(afterRollback.DATABASE_URL).toMatch(/^postgres:/);

    const before = (await config('other')).DATABASE_URL as string;
    expect((await ok(['addons:rotate', 'DATABASE_URL', '-a', 'other'])).stdout).toMatch(/other: released v\d+ with the new credentials/);
    const after = (await config('other')).DATABASE_URL as string;
    expect(after).not.toBe(before);
    await expect(withClient(before, (client) => client.query('select 1'))).rejects.toThrow(/password authentication failed/);
    expect((await withClient(after, (client) => client.query('select v from secrets'))).rows).toEqual([{ v: 'b only' }]);

    const destroyed = await ok(['addons:destroy', theirs, '-a', 'other', '--confirm', 'other']);
    expect(destroyed.stdout).toMatch(/Detached from other: released v\d+\.\nDestroyed postgres-\w+\./);
    expect(await config('other')).not.toHaveProperty('DATABASE_URL');
    await expect(withClient(after, (client) => client.query('select 1'))).rejects.toThrow();
  });

  it('7. swapping the embedded Postgres for an external one by URL: a new release, the same slug, no code change', async () => {
    await withClient(external.adminUrl, async (client) => {
      await client.query(`create role guestbook login password 'external-secret'`);
      await client.query('create database guestbook owner guestbook');
    });
    const externalUrl = `postgres://guestbook:external-secret@127.0.0.1:${external.port}/guestbook`;
    const deployed = (await releases('guestbook')).find((r) => r.current) as WireRelease;

    await ok(['addons:detach', 'DATABASE_URL', '-a', 'guestbook']);
    const attach = await ok(['addons:attach', 'url', externalUrl, '--as', 'DATABASE_URL', '-a', 'guestbook']);
    expect(attach.stdout).toMatch(/url-\w+ is attached to guestbook as DATABASE_URL; released v\d+/);
    expect((await config('guestbook')).DATABASE_URL).toBe(externalUrl);
    const current = (await releases('guestbook')).find((r) => r.current) as WireRelease;
    expect(current.version).toBeGreaterThan(deployed.version);
    expect(current.slug).toBe(deployed.slug);

    await migrated('guestbook', current.version);
    const entry = await post('guestbook', 'Barbara', 'stored on the external server now');
    expect((await processed('guestbook', entry.id)).words).toBe(6);
    await withClient(externalUrl, async (client) => {
      const { rows } = await client.query('select name, words from entries');
      expect(rows).toEqual([{ name: 'Barbara', words: 6 }]);
    });
    expect((await ok(['pg:psql', '-a', 'guestbook', '-c', 'select count(*) from entries'])).stdout).toMatch(/\n\s*1\s*\n/);
  });

  it('8. the add-on servers and the apps outlive a killed platform and are adopted at its next start; `down --stop-apps` stops them', async () => {
    const pidOf = (file: string) => Number(readFileSync(join(platform.dataDir, 'addons', file), 'utf8').split('\n')[0]);
    const before = { postgres: pidOf('postgres/data/postmaster.pid'), redis: pidOf('redis/redis.pid') };
    const slugs = join(platform.dataDir, 'slugs');
    const appPids = processesUnder(slugs).sort();
    expect(appPids.length).toBeGreaterThan(0);
    await platform.stop('SIGKILL');
    // Nothing stops with the platform process: the apps keep serving, with their database.
    expect((await platform.send('guestbook', 'GET', '/entries')).status).toBe(200);
    expect(isAlive(before.postgres) && isAlive(before.redis)).toBe(true);

    await platform.boot();
    expect(platform.logs).toContain(`postgres is up (pid ${before.postgres}, adopted`);
    expect(platform.logs).toContain(`redis is up (pid ${before.redis}, adopted`);
    const entries = await entryCount('guestbook');
    const entry = await post('guestbook', 'Edsger', 'back after a crash');
    expect(await entryCount('guestbook')).toBe(entries + 1);
    expect((await processed('guestbook', entry.id)).words).toBe(4);
    expect(processesUnder(slugs).sort()).toEqual(appPids);
    expect({ postgres: pidOf('postgres/data/postmaster.pid'), redis: pidOf('redis/redis.pid') }).toEqual(before);
    // Adopted, and still watched: killed behind the platform's back, it is started again.
    process.kill(before.redis, 'SIGKILL');
    await eventually(async () => expect(pidOf('redis/redis.pid')).not.toBe(before.redis), 15_000, 250);
    await eventually(async () => expect((await processed('guestbook', (await post('guestbook', 'Ada', 'redis came back')).id)).words).toBe(3), 30_000, 500);
    const embedded = (JSON.parse((await ok(['addons', '-a', 'guestbook', '--json'])).stdout) as { name: string; provider: string }[]).find((a) => a.provider === 'postgres') as { name: string };
    expect((await ok(['addons:info', embedded.name, '-a', 'guestbook'])).stdout).toMatch(/Server:\s+embedded PostgreSQL/);

    const redis = pidOf('redis/redis.pid');
    await ok(['down', '--stop-apps']);
    expect(await platform.exited()).toBe(0);
    expect(isAlive(before.postgres) || isAlive(redis)).toBe(false);
    expect(processesUnder(slugs)).toEqual([]);
    await platform.boot();
  });
});

async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect().catch(() => undefined);
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** One inline command on a bare TCP connection, as any client would send it before logging in. */
function rawRedisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('error', reject);
  });
}
