import { describe, expect, it } from 'vitest';
import { clientOnNetwork, envOnNetwork, loopbackPortsOf } from './addon-reach.js';

describe('add-on servers on an app network', () => {
  const config = {
    DATABASE_URL: 'postgres://dz_a:secret@127.0.0.1:40123/dz_a',
    REDIS_URL: 'redis://dz_a:pw@localhost:40200/0',
    HEROKU_POSTGRESQL_URL: 'postgres://u:p@db.example.com:5432/x',
    MINE: 'postgres://u:p@127.0.0.1:40999/x',
  };

  it('opens the loopback ports of attachment vars only, not of vars set by config:set', () => {
    expect(loopbackPortsOf(config, ['DATABASE_URL', 'REDIS_URL', 'HEROKU_POSTGRESQL_URL'])).toEqual([40123, 40200]);
    expect(loopbackPortsOf({ DATABASE_URL: 'postgres://u:p@127.0.0.1/x' }, ['DATABASE_URL'])).toEqual([5432]);
    expect(loopbackPortsOf({ DATABASE_URL: 'not a url' }, ['DATABASE_URL', 'ABSENT'])).toEqual([]);
  });

  it('points those URLs at the gateway and leaves everything else as it was', () => {
    const env = envOnNetwork({ ...config, PORT: '5000' }, [40123, 40200], '10.213.0.5');
    expect(env).toEqual({
      DATABASE_URL: 'postgres://dz_a:secret@10.213.0.5:40123/dz_a',
      REDIS_URL: 'redis://dz_a:pw@10.213.0.5:40200/0',
      HEROKU_POSTGRESQL_URL: 'postgres://u:p@db.example.com:5432/x',
      MINE: 'postgres://u:p@127.0.0.1:40999/x',
      PORT: '5000',
    });
  });

  it('points the platform\'s add-on clients (psql, redis-cli) at the gateway', () => {
    expect(clientOnNetwork(['/usr/bin/psql', '-c', 'select 1'], { PGHOST: '127.0.0.1', PGPORT: '40123' }, '10.213.0.5')).toEqual({ command: ['/usr/bin/psql', '-c', 'select 1'], env: { PGHOST: '10.213.0.5', PGPORT: '40123' } });
    expect(clientOnNetwork(['/usr/bin/redis-cli', '-h', '127.0.0.1', '-p', '40200', 'get', '-h'], {}, '10.213.0.5').command).toEqual(['/usr/bin/redis-cli', '-h', '10.213.0.5', '-p', '40200', 'get', '-h']);
    expect(clientOnNetwork(['/usr/bin/psql'], { PGHOST: 'db.example.com' }, '10.213.0.5').env.PGHOST).toBe('db.example.com');
  });
});
