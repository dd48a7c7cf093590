import type { RedisServer } from './redis-provider.js';
import { redisAddress } from './redis-session.js';

/** A Redis 7 server run elsewhere (DOZEN_REDIS_ADMIN_URL): the platform only manages ACL users on it. */
export class ExternalRedis implements RedisServer {
  readonly kind = 'external';
  readonly id: string;

  constructor(private readonly url: string) {
    this.id = `external ${redisAddress(url)}`;
  }

  adminUrl(): Promise<string> {
    return Promise.resolve(this.url);
  }
}
