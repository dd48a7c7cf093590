import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/platform.js';

const DOZEN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

function dozen(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [DOZEN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), NO_COLOR: '1', ...env }, encoding: 'utf8' });
}

/** Issue 15, a service: the real CLI writes a systemd unit and env file for this host. */
describe('dozen service:install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dozen-e2e-service-'));
  const unitFile = join(dir, 'dozen.service');
  const envFile = join(dir, 'etc', 'dozen.env');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the unit (this node, this dozen, KillMode=process) and an env file of what the platform reads', () => {
    const env = { DOZEN_DOMAIN: 'apps.example.com', DOZEN_ROUTER_PORT: '80', DOZEN_SECRET_KEY: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=', DOZEN_API_URL: 'http://cli-only', DOZEN_DATA_DIR: '/srv/dozen' };
    const result = dozen(['service:install', '--user', 'root', '--unit-file', unitFile, '--environment-file', envFile], env);
    expect(result.status, result.stderr).toBe(0);
    const unit = readFileSync(unitFile, 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} ${DOZEN} up\n`);
    expect(unit).toContain(`EnvironmentFile=${envFile}\n`);
    expect(unit).toContain('KillMode=process\n');
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('WorkingDirectory=/srv/dozen\n');
    const written = readFileSync(envFile, 'utf8');
    expect(written.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['DOZEN_DATA_DIR="/srv/dozen"', 'DOZEN_DOMAIN="apps.example.com"', 'DOZEN_ROUTER_PORT="80"', `DOZEN_SECRET_KEY="${env.DOZEN_SECRET_KEY}"`, '']);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    // Printed too, with the secret hidden, and the commands to start it.
    expect(result.stdout).toContain('KillMode=process');
    expect(result.stdout).toContain('DOZEN_SECRET_KEY=(hidden; in the file)');
    expect(result.stdout).not.toContain(env.DOZEN_SECRET_KEY);
    expect(result.stdout).toContain('systemctl enable --now dozen.service');
  });

  it('--print writes nothing; a place it may not write is a catalogued error', () => {
    const printed = dozen(['service:install', '--print', '--unit-file', join(dir, 'p.service'), '--environment-file', join(dir, 'p.env')], {});
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('DOZEN_DATA_DIR="/var/lib/dozen"');
    expect(() => statSync(join(dir, 'p.service'))).toThrow();
    const refused = dozen(['service:install', '--unit-file', '/proc/dozen.service', '--environment-file', join(dir, 'x.env')], {});
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('Cannot write /proc/dozen.service');
    expect(refused.stderr).toContain('(SERVICE_INSTALL_FAILED)');
  });
});
