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

  it('reads the router limits, its trusted proxies and the metrics token', () => {
    expect(parse({}).router).toEqual({ maxLineBytes: 8192, maxHeadBytes: 65536, headTimeoutMs: 10_000, keepAliveTimeoutMs: 90_000, firstByteTimeoutMs: 30_000, idleTimeoutMs: 55_000, maxConnections: 10_000, trustedProxies: [] });
    const config = parse({ DOZEN_ROUTER_REQUEST_TIMEOUT: '0.5', DOZEN_ROUTER_IDLE_TIMEOUT: '2', DOZEN_ROUTER_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.5,::1', DOZEN_METRICS_TOKEN: 'scrape-me-please-0123' });
    expect(config.router).toMatchObject({ firstByteTimeoutMs: 500, idleTimeoutMs: 2000, trustedProxies: ['10.0.0.0/8', '192.168.1.5', '::1'] });
    expect(config.metricsToken).toBe('scrape-me-please-0123');
  });

  it.each([
    ['DOZEN_ROUTER_REQUEST_TIMEOUT', '0'],
    ['DOZEN_ROUTER_IDLE_TIMEOUT', '1.2345'],
    ['DOZEN_ROUTER_MAX_CONNECTIONS', '0'],
    ['DOZEN_ROUTER_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['DOZEN_ROUTER_TRUSTED_PROXIES', 'lb.example.com'],
    ['DOZEN_METRICS_TOKEN', 'short'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DOZEN_ROUTER_PORT', '-1'],
    ['DOZEN_DOMAIN', 'Bad_Domain'],
    ['DOZEN_LOG_LEVEL', 'loud'],
    ['DOZEN_GRACE_PERIOD', '1.5'],
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
