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

  it('bounds log history and drains, refusing loopback drains unless told', () => {
    expect(parse({})).toMatchObject({ logLinesPerApp: 50_000, logBytesPerApp: 20 * 1024 * 1024, drains: { allowLoopback: false, bufferLines: 5000 } });
    const set = parse({ DOZEN_LOG_LINES: '1000', DOZEN_LOG_MEGABYTES: '2', DOZEN_DRAIN_ALLOW_LOOPBACK: '1', DOZEN_DRAIN_BUFFER: '100' });
    expect(set).toMatchObject({ logLinesPerApp: 1000, logBytesPerApp: 2 * 1024 * 1024, drains: { allowLoopback: true, bufferLines: 100 } });
  });

  it('offers a Heroku stack name from the host glibc, or DOZEN_STACK (validated)', () => {
    expect(parseConfig({}, '/usr/bin/node', '2.36').stack).toBe('heroku-22');
    expect(parseConfig({}, '/usr/bin/node', '2.41').stack).toBe('heroku-24');
    expect(parseConfig({ DOZEN_STACK: 'heroku-20' }, '/usr/bin/node', '2.41').stack).toBe('heroku-20');
    for (const bad of ['Heroku-24', 'heroku 24', '-x', 'a'.repeat(41)]) {
      expect(() => parse({ DOZEN_STACK: bad })).toThrow(/DOZEN_STACK=.* is not valid: expected a stack name/);
    }
  });

  it('reads the add-on admin URLs (default: the platform runs its own servers)', () => {
    expect(parse({}).addons).toEqual({ postgresAdminUrl: null, redisAdminUrl: null });
    const config = parse({ DOZEN_POSTGRES_ADMIN_URL: 'postgresql://a:b@db:5432/postgres', DOZEN_REDIS_ADMIN_URL: 'rediss://a:b@cache:6380' });
    expect(config.addons).toEqual({ postgresAdminUrl: 'postgresql://a:b@db:5432/postgres', redisAdminUrl: 'rediss://a:b@cache:6380' });
  });

  it('reads the runtime variables', () => {
    expect(parse({})).toMatchObject({ sandbox: 'auto', appUidBase: 70_000, maxProcessesPerApp: 100, crashBackoff: { baseMs: 1000, capMs: 300_000 } });
    const config = parse({ DOZEN_SANDBOX: 'none', DOZEN_APP_UID_BASE: '100000', DOZEN_MAX_PROCESSES_PER_APP: '8', DOZEN_CRASH_BACKOFF_MS: '50', DOZEN_CRASH_BACKOFF_MAX_MS: '400' });
    expect(config).toMatchObject({ sandbox: 'none', appUidBase: 100_000, maxProcessesPerApp: 8, crashBackoff: { baseMs: 50, capMs: 400 } });
  });

  it('reads the router limits, its trusted proxies and the metrics token', () => {
    expect(parse({}).router).toEqual({ maxLineBytes: 8192, maxHeadBytes: 65536, headTimeoutMs: 10_000, keepAliveTimeoutMs: 90_000, firstByteTimeoutMs: 30_000, idleTimeoutMs: 55_000, maxConnections: 10_000, trustedProxies: [] });
    const config = parse({ DOZEN_ROUTER_REQUEST_TIMEOUT: '0.5', DOZEN_ROUTER_IDLE_TIMEOUT: '2', DOZEN_ROUTER_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.5,::1', DOZEN_METRICS_TOKEN: 'scrape-me-please-0123' });
    expect(config.router).toMatchObject({ firstByteTimeoutMs: 500, idleTimeoutMs: 2000, trustedProxies: ['10.0.0.0/8', '192.168.1.5', '::1'] });
    expect(config.metricsToken).toBe('scrape-me-please-0123');
  });

  it('reads the API domain (off by default) and its plain HTTP mode (redirect by default)', () => {
    expect(parse({})).toMatchObject({ apiDomain: null, apiHttpMode: 'redirect' });
    expect(parse({ DOZEN_DOMAIN: 'apps.example.com', DOZEN_API_DOMAIN: 'api.example.com', DOZEN_API_HTTP_MODE: 'http' })).toMatchObject({ apiDomain: 'api.example.com', apiHttpMode: 'http' });
  });

  it('reads the build limits, with Heroku-like defaults', () => {
    const defaults = parse({ DOZEN_DATA_DIR: '/srv/dozen' });
    expect(defaults.source).toEqual({ maxUploadBytes: 500 * 1024 ** 2, maxExtractedBytes: 1024 ** 3, maxEntries: 100_000, maxPathLength: 1024, maxPathDepth: 64, timeoutMs: 300_000 });
    expect(defaults).toMatchObject({ buildTimeoutMs: 900_000, buildConcurrency: 2, releasePhaseTimeoutMs: 3_600_000, scorecard: true, buildpackDirs: ['/srv/dozen/buildpacks'], buildCaFile: null });
    expect(parse({ DOZEN_SCORECARD: 'off' }).scorecard).toBe(false);
    const set = parse({ DOZEN_UPLOAD_MAX_MB: '10', DOZEN_SOURCE_MAX_ENTRIES: '50', DOZEN_BUILDPACK_DIRS: '/a:/b/', DOZEN_BUILD_CONCURRENCY: '4', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
    expect(set).toMatchObject({ source: { maxUploadBytes: 10 * 1024 ** 2, maxEntries: 50 }, buildpackDirs: ['/a', '/b'], buildConcurrency: 4, buildCaFile: '/etc/ca.pem' });
  });

  it('reads DOZEN_SECRET_KEY as base64 keys of 32 bytes (NEW,OLD while rotating), refusing others without echoing them', () => {
    const [a, b] = [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')];
    expect(parse({}).secretKeys).toBeNull();
    expect(parse({ DOZEN_SECRET_KEY: a }).secretKeys).toEqual([a]);
    expect(parse({ DOZEN_SECRET_KEY: `${a}, ${b}` }).secretKeys).toEqual([a, b]);
    for (const bad of [Buffer.alloc(31, 7).toString('base64'), `${a},short-secret-value`, 'hex:0011']) {
      expect(() => parse({ DOZEN_SECRET_KEY: bad })).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID', message: expect.not.stringContaining(bad.split(',').pop() as string) }));
    }
  });

  it('limits git pushes to 500 MiB unless DOZEN_GIT_MAX_PUSH_MB says otherwise', () => {
    expect(parse({}).gitMaxPushBytes).toBe(500 * 1024 * 1024);
    expect(parse({ DOZEN_GIT_MAX_PUSH_MB: '1' }).gitMaxPushBytes).toBe(1024 * 1024);
  });

  it.each([
    ['DOZEN_ROUTER_REQUEST_TIMEOUT', '0'],
    ['DOZEN_ROUTER_IDLE_TIMEOUT', '1.2345'],
    ['DOZEN_ROUTER_MAX_CONNECTIONS', '0'],
    ['DOZEN_ROUTER_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['DOZEN_ROUTER_TRUSTED_PROXIES', 'lb.example.com'],
    ['DOZEN_METRICS_TOKEN', 'short'],
    ['DOZEN_UPLOAD_MAX_MB', '0'],
    ['DOZEN_SOURCE_MAX_DEPTH', 'deep'],
    ['DOZEN_BUILDPACK_DIRS', 'relative/dir'],
    ['DOZEN_BUILD_CONCURRENCY', '0'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DOZEN_ROUTER_PORT', '-1'],
    ['DOZEN_DOMAIN', 'Bad_Domain'],
    ['DOZEN_API_DOMAIN', 'API.example.com'],
    ['DOZEN_API_DOMAIN', 'api.localhost'],
    ['DOZEN_API_HTTP_MODE', 'https'],
    ['DOZEN_SCORECARD', 'maybe'],
    ['DOZEN_LOG_LEVEL', 'loud'],
    ['DOZEN_GRACE_PERIOD', '1.5'],
    ['DOZEN_LOG_MEGABYTES', '0'],
    ['DOZEN_DRAIN_ALLOW_LOOPBACK', 'yes'],
    ['DOZEN_GIT_MAX_PUSH_MB', '0'],
    ['DOZEN_GIT_MAX_PUSH_MB', '1e3'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'postgres://user:secret@db'],
    ['DATABASE_URL', 'postgresql://user:secret@/dozen'],
    ['DOZEN_POSTGRES_ADMIN_URL', 'mysql://root:secret@db/x'],
    ['DOZEN_POSTGRES_ADMIN_URL', 'not a url with secret'],
    ['DOZEN_REDIS_ADMIN_URL', 'http://admin:secret@cache'],
    ['DOZEN_SANDBOX', 'docker'],
    ['DOZEN_APP_UID_BASE', '0'],
    ['DOZEN_MAX_PROCESSES_PER_APP', '0'],
    ['DOZEN_CRASH_BACKOFF_MS', '1s'],
    ['DOZEN_BACKUP_SCHEDULE', 'hourly'],
    ['DOZEN_BACKUP_SCHEDULE', 'daily 25:00'],
    ['DOZEN_BACKUP_KEEP', '0'],
    ['DOZEN_METRICS_STEP_SECONDS', '0'],
    ['DOZEN_METRICS_STEP_SECONDS', '1m'],
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

describe('DATABASE_URL', () => {
  it('selects the PostgreSQL store with postgres:// or postgresql:// (the SQLite file stays the data dir default)', () => {
    expect(parse({ DOZEN_DATA_DIR: '/srv/dozen', DATABASE_URL: 'postgres://u:p@db:5432/dozen' }).store).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/dozen', file: '/srv/dozen/dozen.db' });
    expect(parse({ DATABASE_URL: 'postgresql://u@127.0.0.1/dozen' }).store.kind).toBe('postgres');
    expect(parse({ DATABASE_URL: 'sqlite:///var/db/d.db' }).store).toEqual({ kind: 'sqlite', file: '/var/db/d.db' });
  });

  it('refuses scheduled backups with a PostgreSQL store (they archive a SQLite store), and keeps them with SQLite', () => {
    expect(() => parse({ DATABASE_URL: 'postgres://u:p@db/dozen', DOZEN_BACKUP_SCHEDULE: 'daily 02:00' })).toThrow(/DOZEN_BACKUP_SCHEDULE="daily 02:00" is not valid: scheduled backups archive a SQLite store/);
    expect(parse({ DATABASE_URL: 'postgres://u:p@db/dozen', DOZEN_BACKUP_SCHEDULE: 'off' }).backups.schedule).toEqual({ kind: 'off' });
    expect(parse({ DOZEN_BACKUP_SCHEDULE: 'daily 02:00' }).backups.schedule).toMatchObject({ kind: 'daily' });
  });
});

describe('metrics settings', () => {
  it('record a point a minute by default, and read DOZEN_METRICS_STEP_SECONDS', () => {
    expect(parse({}).metricsStepSeconds).toBe(60);
    expect(parse({ DOZEN_METRICS_STEP_SECONDS: '2' }).metricsStepSeconds).toBe(2);
  });
});

describe('backup settings', () => {
  it('are off and 7 by default, and read DOZEN_BACKUP_SCHEDULE and DOZEN_BACKUP_KEEP', () => {
    expect(parse({}).backups).toEqual({ schedule: { kind: 'off' }, keep: 7 });
    expect(parse({ DOZEN_BACKUP_SCHEDULE: 'daily 02:30', DOZEN_BACKUP_KEEP: '3' }).backups).toEqual({ schedule: { kind: 'daily', hour: 2, minute: 30 }, keep: 3 });
  });
});
