import type { RedisServer } from './redis-provider.js';

/** A Redis 7 server run elsewhere (DOZEN_REDIS_ADMIN_URL): the platform only manages ACL users on it. */
export class ExternalRedis implements RedisServer {
  readonly kind = 'external';

  constructor(private readonly url: string) {}

  adminUrl(): Promise<string> {
    return Promise.resolve(this.url);
  }
}
