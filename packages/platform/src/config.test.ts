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

  it('reads the build limits, with Heroku-like defaults', () => {
    const defaults = parse({ DOZEN_DATA_DIR: '/srv/dozen' });
    expect(defaults.source).toEqual({ maxUploadBytes: 500 * 1024 ** 2, maxExtractedBytes: 1024 ** 3, maxEntries: 100_000, maxPathLength: 1024, maxPathDepth: 64, timeoutMs: 300_000 });
    expect(defaults).toMatchObject({ buildTimeoutMs: 900_000, buildConcurrency: 2, releasePhaseTimeoutMs: 3_600_000, buildpackDirs: ['/srv/dozen/buildpacks'], buildCaFile: null });
    const set = parse({ DOZEN_UPLOAD_MAX_MB: '10', DOZEN_SOURCE_MAX_ENTRIES: '50', DOZEN_BUILDPACK_DIRS: '/a:/b/', DOZEN_BUILD_CONCURRENCY: '4', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
    expect(set).toMatchObject({ source: { maxUploadBytes: 10 * 1024 ** 2, maxEntries: 50 }, buildpackDirs: ['/a', '/b'], buildConcurrency: 4, buildCaFile: '/etc/ca.pem' });
  });

  it.each([
    ['DOZEN_UPLOAD_MAX_MB', '0'],
    ['DOZEN_SOURCE_MAX_DEPTH', 'deep'],
    ['DOZEN_BUILDPACK_DIRS', 'relative/dir'],
    ['DOZEN_BUILD_CONCURRENCY', '0'],
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
