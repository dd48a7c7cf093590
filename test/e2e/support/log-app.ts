import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DozenClient, type LogStats } from '../../../packages/contracts/src/index.js';
import { ROOT, TestPlatform, type CliResult } from './platform.js';

export const LOG_APP = 'logsapp';
export const LOG_FIXTURE = join(ROOT, 'test', 'e2e', 'fixtures', 'log-producer');

export interface LogProducerApp {
  platform: TestPlatform;
  /** An API client of the platform (a new one after `restart`). */
  client: DozenClient;
  ok(args: string[]): Promise<CliResult>;
  stats(): Promise<LogStats>;
  /** Stops the platform and starts it again on the same data dir and API port. */
  restart(): Promise<void>;
}

/**
 * The log-producer fixture deployed as `logsapp` on a platform of its own (started before the
 * file's tests, destroyed after them): the logs and drains tests share this setup.
 */
export function logProducerApp(env: Record<string, string>): LogProducerApp {
  const connect = () => {
    app.client = new DozenClient({ baseUrl: app.platform.apiUrl, token: readFileSync(join(app.platform.dataDir, 'admin-token'), 'utf8').trim() });
  };
  const app: LogProducerApp = {
    platform: undefined as unknown as TestPlatform,
    client: undefined as unknown as DozenClient,
    ok: (args) => app.platform.ok(args),
    stats: () => app.client.call('getLogStats', { params: { app: LOG_APP } }),
    restart: async () => {
      app.platform = await app.platform.restart();
      connect();
    },
  };
  beforeAll(async () => {
    app.platform = await TestPlatform.start(env);
    connect();
    await app.ok(['apps:create', LOG_APP]);
    await app.ok(['deploy', LOG_FIXTURE, '-a', LOG_APP]);
  });
  afterAll(async () => {
    await app.platform?.destroy();
  });
  return app;
}
