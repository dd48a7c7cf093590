import { DozenError } from '@dozen/contracts/errors';

/** One admin connection: what the provider needs of ioredis, so that tests can inject faults here. */
export interface RedisSession {
  call(command: string, ...args: string[]): Promise<unknown>;
  end(): Promise<void>;
}

export type RedisConnect = (adminUrl: string) => Promise<RedisSession>;

/** Fails fast: no retries, no offline queue, a bounded connect. */
export function redisConnector(timeoutMs = 5000): RedisConnect {
  return async (adminUrl) => {
    // Loaded on first use: a platform without Redis add-ons does not carry the client.
    const { Redis } = await import('ioredis');
    const client = new Redis(adminUrl, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, enableReadyCheck: false });
    // ioredis rejects connect() with "Connection is closed"; the cause comes as an 'error' event.
    let cause: unknown;
    client.on('error', (error) => (cause = error));
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw unreachable(adminUrl, cause ?? error);
    }
    return {
      call: (command, ...args) => client.call(command, ...args),
      end: async () => {
        await client.quit().catch(() => client.disconnect());
      },
    };
  };
}

/** Where, never with whom. */
export function redisAddress(adminUrl: string): string {
  try {
    const url = new URL(adminUrl);
    return `${url.hostname}:${url.port || '6379'}`;
  } catch {
    return 'the configured server';
  }
}

function unreachable(adminUrl: string, error: unknown): DozenError {
  const where = redisAddress(adminUrl);
  const message = (error as Error).message;
  if (/WRONGPASS|NOAUTH|invalid username-password/i.test(message)) {
    return new DozenError('ADDON_SERVICE_UNAVAILABLE', `Redis at ${where} refused the admin login: ${message}.`, { hint: 'Check the user and password in DOZEN_REDIS_ADMIN_URL.' });
  }
  const code = (error as { code?: string }).code;
  return new DozenError('ADDON_SERVICE_UNAVAILABLE', `Cannot reach Redis at ${where}: ${code ?? message}.`, { cause: error });
}
