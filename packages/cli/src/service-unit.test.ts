import { describe, expect, it } from 'vitest';
import { redactEnvFile, serviceEnvFile, serviceUnit } from './service-unit.js';

const spec = { user: 'root', dataDir: '/var/lib/dozen', envFile: '/etc/dozen/dozen.env', node: '/usr/bin/node', dozen: '/opt/dozen/packages/cli/bin/dozen.js', docs: '/opt/dozen/docs/production.md' };

describe('the systemd unit', () => {
  it('runs this node and this dozen as the user, restarts always, and stops the platform only', () => {
    const unit = serviceUnit(spec);
    const lines = unit.split('\n');
    expect(lines).toContain('User=root');
    expect(lines).toContain('ExecStart=/usr/bin/node /opt/dozen/packages/cli/bin/dozen.js up');
    expect(lines).toContain('EnvironmentFile=/etc/dozen/dozen.env');
    expect(lines).toContain('Restart=on-failure');
    expect(lines).toContain('KillMode=process');
    expect(lines).toContain('LimitNOFILE=1048576');
    expect(lines).toContain('WantedBy=multi-user.target');
    expect(lines.filter((l) => l.startsWith('KillMode='))).toHaveLength(1);
  });

  it('refuses paths systemd would split or expand', () => {
    expect(() => serviceUnit({ ...spec, dozen: '/opt/my dozen/bin/dozen.js' })).toThrow(/cannot go into a systemd unit/);
    expect(() => serviceUnit({ ...spec, dataDir: 'relative/dir' })).toThrow(/absolute path/);
    expect(() => serviceUnit({ ...spec, user: 'a;b' })).toThrow(/a name/);
  });
});

describe('the service env file', () => {
  it('has the data dir first, then the variables in name order, quoted', () => {
    const text = serviceEnvFile('/srv/dozen', { DOZEN_DOMAIN: 'apps.example.com', PORT: '5000', DOZEN_LOG_LEVEL: 'say "hi" \\ok' });
    expect(text.split('\n').slice(1)).toEqual(['DOZEN_DATA_DIR="/srv/dozen"', 'DOZEN_DOMAIN="apps.example.com"', 'DOZEN_LOG_LEVEL="say \\"hi\\" \\\\ok"', 'PORT="5000"', '']);
  });

  it('refuses a value with a line break', () => {
    expect(() => serviceEnvFile('/d', { DOZEN_DOMAIN: 'a\nb' })).toThrow(/line break/);
  });

  it('hides values that may be secrets when printed', () => {
    const text = serviceEnvFile('/d', { DOZEN_SECRET_KEY: 'abc', DOZEN_METRICS_TOKEN: 't', DOZEN_POSTGRES_ADMIN_URL: 'postgres://u:p@h/db', DOZEN_DOMAIN: 'x.test' });
    const shown = redactEnvFile(text);
    expect(shown).not.toMatch(/abc|"t"|u:p@h/);
    expect(shown).toContain('DOZEN_DOMAIN="x.test"');
    expect(shown).toContain('DOZEN_SECRET_KEY=(hidden; in the file)');
  });
});
