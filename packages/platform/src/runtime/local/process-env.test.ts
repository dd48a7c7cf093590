import { describe, expect, it } from 'vitest';
import { processEnv } from './process-env.js';

const input = { app: 'shop', process: 'web.1', release: 7, slugDir: '/app', nodeBinDir: '/runtimes/node-22/bin', port: 5123 };

describe('processEnv', () => {
  it('is exactly the config vars plus the documented variables, and nothing of the platform', () => {
    process.env.DOZEN_TEST_CANARY = 'the platform environment must not leak';
    const env = processEnv({ ...input, config: { DATABASE_URL: 'postgres://x', GREETING: 'hi' } });
    expect(env).toEqual({
      PATH: '/app/node_modules/.bin:/runtimes/node-22/bin:/usr/local/bin:/usr/bin:/bin',
      HOME: '/app',
      LANG: 'C.UTF-8',
      DATABASE_URL: 'postgres://x',
      GREETING: 'hi',
      DOZEN_APP: 'shop',
      DOZEN_PROCESS: 'web.1',
      DOZEN_RELEASE: 'v7',
      PORT: '5123',
    });
    delete process.env.DOZEN_TEST_CANARY;
  });

  it('lets config override PATH, HOME and LANG, but never what the platform guarantees', () => {
    const config = { PATH: '/mine', HOME: '/home/me', LANG: 'de_DE.UTF-8', PORT: '1', DOZEN_APP: 'other', DOZEN_PROCESS: 'x', DOZEN_RELEASE: 'v0' };
    const env = processEnv({ ...input, config });
    expect(env).toMatchObject({ PATH: '/mine', HOME: '/home/me', LANG: 'de_DE.UTF-8', PORT: '5123', DOZEN_APP: 'shop', DOZEN_PROCESS: 'web.1', DOZEN_RELEASE: 'v7' });
  });

  it('has no PORT for a process that does not bind one', () => {
    expect(processEnv({ ...input, port: null, config: {} })).not.toHaveProperty('PORT');
  });
});
