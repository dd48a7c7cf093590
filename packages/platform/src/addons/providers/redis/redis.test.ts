import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisResourceClient, withRedis } from '../../../test-support/redis-resource-client.js';
import { addonProviderConformance } from '../../addon-conformance.js';
import { ExternalRedis } from './external-redis.js';
import { ManagedRedis } from './managed-redis.js';
import { RedisProvider } from './redis-provider.js';
import { redisConnector, type RedisConnect } from './redis-session.js';

// One redis-server for the file; a second one stands in for an external server.
let dataDir: string;
let server: ManagedRedis;
let provider: RedisProvider;
let external: ManagedRedis;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dozen-redis-'));
  server = new ManagedRedis({ addonsDir: join(dataDir, 'addons'), log: (level, message) => logs.push(`${level} ${message}`) });
  provider = new RedisProvider(server);
  external = new ManagedRedis({ addonsDir: join(dataDir, 'other'), log: () => undefined });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await external?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

addonProviderConformance('redis (the platform\'s redis-server)', () => ({ provider, client: redisResourceClient }), { issuesCredentials: true });
addonProviderConformance('redis (external server by admin URL)', () => ({ provider: new RedisProvider({ id: 'external other', kind: 'external', adminUrl: () => external.adminUrl() }), client: redisResourceClient }), { issuesCredentials: true });

describe('the server an add-on lives on', () => {
  it('is recorded: after an admin URL is set, old add-ons stay on the platform\'s server; an unknown server is refused, nothing touched', async () => {
    const made = await provider.provision({ addonId: 'servercheck', plan: 'dev' });
    expect(made.resource.server).toBe('managed');
    const elsewhere = { id: 'external elsewhere:6379', kind: 'external', adminUrl: () => external.adminUrl() };
    // DOZEN_REDIS_ADMIN_URL set later: new add-ons go there, the old one is still found at home.
    const switched = new RedisProvider(elsewhere, undefined, [server]);
    expect((await switched.info(made.resource)).server).toMatch(/^managed Redis /);
    // A platform that knows only the other server refuses, and the user is still there.
    const lost = new RedisProvider(elsewhere);
    await expect(lost.deprovision(made.resource)).rejects.toMatchObject({ code: 'ADDON_SERVER_CHANGED', message: expect.stringContaining("lives on the platform's own server, but the platform now uses the server at elsewhere:6379") });
    await withRedis(made.url, async (redis) => expect(await redis.call('PING')).toBe('PONG'));
    await switched.deprovision(made.resource);
    await expect(withRedis(made.url, (redis) => redis.call('PING'))).rejects.toThrow();
  });
});

describe("an add-on's Redis user", () => {
  it('cannot list, flush or reconfigure the server, nor reach keys or channels outside its prefix', async () => {
    const made = await provider.provision({ addonId: 'aclcheck', plan: 'dev' });
    await withRedis(made.url, async (redis) => {
      for (const command of [['KEYS', '*'], ['SCAN', '0'], ['FLUSHALL'], ['FLUSHDB'], ['CONFIG', 'GET', 'dir'], ['SELECT', '1'], ['GET', 'other:key'], ['PUBLISH', 'other:chan', 'x'], ['ACL', 'LIST'], ['CLIENT', 'LIST'], ['RANDOMKEY']]) {
        await expect(redis.call(command[0] as string, ...command.slice(1)), command.join(' ')).rejects.toThrow(/NOPERM/);
      }
      await expect(redis.call('EVAL', "return redis.call('GET', 'other:key')", '0')).rejects.toThrow(/can't access|NOPERM/);
      // What an app does: its own keys, lists as queues, transactions, scripts, INFO.
      expect(await redis.call('SET', 'dz_aclcheck:k', 'v')).toBe('OK');
      expect(await redis.call('LPUSH', 'dz_aclcheck:jobs', '1')).toBe(1);
      expect(await redis.call('BRPOP', 'dz_aclcheck:jobs', '1')).toEqual(['dz_aclcheck:jobs', '1']);
      expect(await redis.call('EVAL', "return redis.call('GET', KEYS[1])", '1', 'dz_aclcheck:k')).toBe('v');
      expect(String(await redis.call('INFO', 'server'))).toContain('redis_version');
    }, false);
    await provider.deprovision(made.resource);
  });

  it('is gone with its keys after deprovision, in every database', async () => {
    const made = await provider.provision({ addonId: 'cleanup', plan: 'dev' });
    await redisResourceClient.write(made.url, 'a', '1');
    const admin = await redisConnector()(await server.adminUrl());
    await admin.call('SELECT', '3');
    await admin.call('SET', 'dz_cleanup:elsewhere', '1');
    await provider.deprovision(made.resource);
    expect(await admin.call('EXISTS', 'dz_cleanup:elsewhere')).toBe(0);
    await admin.call('SELECT', '0');
    expect(await admin.call('EXISTS', 'dz_cleanup:a')).toBe(0);
    expect(await admin.call('ACL', 'GETUSER', 'dz_cleanup')).toBeNull();
    await admin.end();
  });
});

describe('the platform\'s redis-server', () => {
  it('listens on 127.0.0.1, keeps only the hash of its admin password, and runs as the redis user when the platform is root', async () => {
    const admin = await redisConnector()(await server.adminUrl());
    expect(await admin.call('CONFIG', 'GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    await admin.end();
    const password = decodeURIComponent(new URL(await server.adminUrl()).password);
    expect(readFileSync(join(server.dir, 'users.acl'), 'utf8')).not.toContain(password);
    expect(readFileSync(join(server.dir, 'users.acl'), 'utf8')).toMatch(/^user default off/m);
    expect(statSync(join(dataDir, 'addons', 'redis.json')).mode & 0o777).toBe(0o600);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]);
    if (process.getuid?.() === 0) expect(uid).not.toBe(0);
  });

  it('is restarted when killed, with its ACL users and data (append-only file)', async () => {
    const made = await provider.provision({ addonId: 'survivor', plan: 'dev' });
    await redisResourceClient.write(made.url, 'kept', 'yes');
    // appendfsync everysec: wait until the write is in the append-only file, not for a guessed second.
    const inAof = () => readdirSync(server.dir, { recursive: true, encoding: 'utf8' }).some((name) => name.includes('.aof') && readFileSync(join(server.dir, name)).includes('kept'));
    for (const deadline = Date.now() + 10_000; !inAof(); await new Promise((resolve) => setTimeout(resolve, 50))) {
      if (Date.now() > deadline) throw new Error('the write never reached the append-only file');
    }
    const first = server.pid as number;
    process.kill(first, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!(await redisResourceClient.connects(made.url))) {
      if (Date.now() > deadline) throw new Error(`not back after 30 s:\n${logs.slice(-20).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(server.pid).not.toBe(first);
    expect(await redisResourceClient.read(made.url, 'kept')).toBe('yes');
    await provider.deprovision(made.resource);
  });
});

describe('faults at provision', () => {
  it('a full disk at ACL SAVE leaves no user behind', async () => {
    const real = redisConnector();
    const failingSave: RedisConnect = async (url) => {
      const session = await real(url);
      return { call: (command, ...args) => (command === 'ACL' && args[0] === 'SAVE' ? Promise.reject(new Error('ERR There was an error trying to save the ACLs: No space left on device')) : session.call(command, ...args)), end: () => session.end() };
    };
    const error = await new RedisProvider(server, failingSave).provision({ addonId: 'diskfull', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_PROVISION_FAILED' });
    expect((error as Error).message).toMatch(/No space left on device.*Nothing was left behind/);
    const admin = await real(await server.adminUrl());
    expect(await admin.call('ACL', 'GETUSER', 'dz_diskfull')).toBeNull();
    await admin.end();
  });

  it('an admin URL without ACL rights: a clear error naming the privilege; an unreachable one: no hang', async () => {
    const admin = await redisConnector()(await server.adminUrl());
    await admin.call('ACL', 'SETUSER', 'weak', 'on', '>weak-pw', '~*', '+@all', '-@admin');
    await admin.end();
    const weakUrl = new URL(await server.adminUrl());
    weakUrl.username = 'weak';
    weakUrl.password = 'weak-pw';
    await expect(new RedisProvider(new ExternalRedis(weakUrl.toString())).provision({ addonId: 'weak', plan: 'dev' })).rejects.toMatchObject({ code: 'ADDON_ADMIN_PRIVILEGES_MISSING' });
    const error = await new RedisProvider(new ExternalRedis('redis://admin:s3cret@127.0.0.1:1/0')).provision({ addonId: 'gone', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE', message: 'Cannot reach Redis at 127.0.0.1:1: ECONNREFUSED.' });
  });
});
