import { describe, expect, it } from 'vitest';
import { ExternalRedis } from './external-redis.js';
import { RedisProvider } from './redis-provider.js';
import type { RedisConnect } from './redis-session.js';

/** A server that answers INFO like Redis 6.2 (no ACL key and channel patterns), and records every other command. */
function redis6(calls: string[][], ended: string[]): RedisConnect {
  return (adminUrl) =>
    Promise.resolve({
      call: (command: string, ...args: string[]) => {
        calls.push([command, ...args]);
        if (command === 'INFO') return Promise.resolve('# Server\r\nredis_version:6.2.0\r\nredis_mode:standalone\r\n');
        return Promise.resolve('OK');
      },
      end: () => {
        ended.push(adminUrl);
        return Promise.resolve();
      },
    });
}

describe('a Redis older than 7 behind DOZEN_REDIS_ADMIN_URL', () => {
  const adminUrl = 'redis://admin:old-redis-secret@10.0.0.5:6380/0';

  it('is refused at provision with a clear error and a stable code, and nothing is provisioned', async () => {
    const calls: string[][] = [];
    const ended: string[] = [];
    const error = await new RedisProvider(new ExternalRedis(adminUrl), redis6(calls, ended)).provision({ addonId: 'old1', plan: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE', message: 'Redis at 10.0.0.5:6380 is version 6.2.0; add-ons need Redis 7 or newer for per-add-on ACL users.' });
    expect((error as Error).message).not.toContain('old-redis-secret');
    // Only the version was asked: no ACL user made, nothing saved, and the admin connection closed.
    expect(calls).toEqual([['INFO', 'server']]);
    expect(ended).toEqual([adminUrl]);
  });

  it('is refused by the start check (verify) the same way', async () => {
    const calls: string[][] = [];
    await expect(new RedisProvider(new ExternalRedis(adminUrl), redis6(calls, [])).verify()).rejects.toMatchObject({ code: 'ADDON_SERVICE_UNAVAILABLE', message: expect.stringContaining('is version 6.2.0; add-ons need Redis 7 or newer') });
    expect(calls.filter(([command]) => command === 'ACL')).toEqual([]);
  });
});
