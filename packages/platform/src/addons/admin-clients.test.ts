import { describe, expect, it } from 'vitest';
import { adminClient } from './admin-clients.js';

const found = (name: string) => `/usr/bin/${name}`;

describe('admin clients', () => {
  it('psql gets the server and the credentials in its environment, not in its arguments', () => {
    const { command, env } = adminClient('psql', 'postgres://dz_a:s%40cret@127.0.0.1:5433/dz_a?sslmode=require', ['-c', 'select 1'], found);
    expect(command).toEqual(['/usr/bin/psql', '-c', 'select 1']);
    expect(env).toEqual({ PGHOST: '127.0.0.1', PGPORT: '5433', PGDATABASE: 'dz_a', PGUSER: 'dz_a', PGPASSWORD: 's@cret', PGSSLMODE: 'require', PGAPPNAME: 'dozen pg:psql' });
  });

  it('redis-cli gets host, port, user and database as arguments and the password as REDISCLI_AUTH', () => {
    const { command, env } = adminClient('redis-cli', 'rediss://dz_b:pw@10.0.0.5:6380/2', ['get', 'k'], found);
    expect(command).toEqual(['/usr/bin/redis-cli', '-h', '10.0.0.5', '-p', '6380', '--user', 'dz_b', '-n', '2', '--tls', 'get', 'k']);
    expect(env).toEqual({ REDISCLI_AUTH: 'pw' });
    expect(command.join(' ')).not.toContain('pw');
  });

  it('says which package to install when the client is missing', () => {
    expect(() => adminClient('psql', 'postgres://u:p@h/d', [], () => null)).toThrow(expect.objectContaining({ code: 'ADDON_CLIENT_MISSING' }));
  });
});
