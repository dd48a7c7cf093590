import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

const parse = (env: Record<string, string>) => parseConfig(env, '/usr/bin/node');

describe('platform config', () => {
  it('has embedded defaults', () => {
    const config = parse({ HOME: '/home/u' });
    expect(config).toMatchObject({ apiPort: 7000, routerPort: 5000, domain: 'localhost', listenHost: '127.0.0.1', graceMs: 30_000, bootTimeoutMs: 60_000, nodeBinDir: '/usr/bin' });
    expect(config.store).toEqual({ kind: 'sqlite', file: `${config.dataDir}/dozen.db` });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = parse({ PORT: '0', DOZEN_ROUTER_PORT: '8080', DOZEN_DATA_DIR: '/srv/dozen', DOZEN_DOMAIN: 'apps.example.com', DATABASE_URL: 'sqlite:///var/db/d.db', DOZEN_GRACE_PERIOD: '5' });
    expect(config).toMatchObject({ apiPort: 0, routerPort: 8080, dataDir: '/srv/dozen', domain: 'apps.example.com', store: { kind: 'sqlite', file: '/var/db/d.db' }, graceMs: 5000 });
  });

  it('limits git pushes to 500 MiB unless DOZEN_GIT_MAX_PUSH_MB says otherwise', () => {
    expect(parse({}).gitMaxPushBytes).toBe(500 * 1024 * 1024);
    expect(parse({ DOZEN_GIT_MAX_PUSH_MB: '1' }).gitMaxPushBytes).toBe(1024 * 1024);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DOZEN_ROUTER_PORT', '-1'],
    ['DOZEN_DOMAIN', 'Bad_Domain'],
    ['DOZEN_LOG_LEVEL', 'loud'],
    ['DOZEN_GRACE_PERIOD', '1.5'],
    ['DOZEN_GIT_MAX_PUSH_MB', '0'],
    ['DOZEN_GIT_MAX_PUSH_MB', '1e3'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'postgres://user:secret@db/dozen'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    let message = '';
    try {
      parse({ [name]: value });
    } catch (error) {
      expect((error as { code: string }).code).toBe('PLATFORM_CONFIG_INVALID');
      message = (error as Error).message;
    }
    expect(message).toContain(`${name}=`);
    expect(message).not.toContain('secret');
  });
});
