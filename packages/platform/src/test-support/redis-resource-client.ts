import { Redis } from 'ioredis';
import type { ResourceClient } from '../addons/addon-conformance.js';

/** Reaches a redis add-on the way an app would: REDIS_URL, keys under the user's prefix. */
export const redisResourceClient: ResourceClient = {
  write: (url, key, value) => withRedis(url, async (redis) => void (await redis.set(key, value))),
  read: (url, key) => withRedis(url, (redis) => redis.get(key)),
  async readsOther(url, otherUrl, key) {
    const theirs = `${new URL(otherUrl).username}:${key}`;
    try {
      return await withRedis(url, async (redis) => (await redis.call('GET', theirs)) !== undefined, false);
    } catch {
      return false;
    }
  },
  connects: (url) => withRedis(url, async (redis) => (await redis.ping()) === 'PONG').catch(() => false),
  /** Without credentials (the default user), and with a guessed password: nobody gets in. */
  async anonymousAccess(url) {
    const bare = new URL(url);
    bare.username = '';
    bare.password = '';
    const guess = new URL(url);
    guess.password = 'not-the-password';
    for (const candidate of [bare, guess]) if (await this.connects(candidate.toString())) return true;
    return false;
  },
};

/** `prefixed`: the client puts the user's prefix on keys itself (ioredis keyPrefix), as the guestbook does. */
export async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>, prefixed = true): Promise<T> {
  const user = decodeURIComponent(new URL(url).username);
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, ...(prefixed && user ? { keyPrefix: `${user}:` } : {}) });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}
