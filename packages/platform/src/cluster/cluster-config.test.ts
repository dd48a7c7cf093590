import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { clusterConfig, requireClusterSettings } from './cluster-config.js';

const TOKEN = 'c'.repeat(40);
const host = () => 'web-1';

describe('cluster config', () => {
  it('has defaults: no token, no api URLs, relay port 7100, the hostname as host id', () => {
    const config = clusterConfig({}, host);
    expect({ ...config }).toEqual({ token: null, apiUrls: [], relayPort: 7100, hostId: 'web-1', builderLostMs: 30_000 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable; PlatformConfig carries it', () => {
    const env = { DOZEN_CLUSTER_TOKEN: TOKEN, DOZEN_API_URLS: 'http://10.0.0.5:7000/, https://api.example.com', DOZEN_RELAY_PORT: '0', DOZEN_HOST_ID: 'host-a', DOZEN_BUILDER_TIMEOUT: '5' };
    expect({ ...clusterConfig(env, host) }).toEqual({ token: TOKEN, apiUrls: ['http://10.0.0.5:7000', 'https://api.example.com'], relayPort: 0, hostId: 'host-a', builderLostMs: 5000 });
    expect(parseConfig(env, '/usr/bin/node').cluster.hostId).toBe('host-a');
  });

  it('never shows the token in JSON (logs) nor in its errors', () => {
    expect(JSON.stringify(clusterConfig({ DOZEN_CLUSTER_TOKEN: TOKEN }, host))).not.toContain(TOKEN);
    expect(JSON.stringify(parseConfig({ DOZEN_CLUSTER_TOKEN: TOKEN }, '/usr/bin/node'))).not.toContain(TOKEN);
    const short = 'short-secret-value';
    expect(() => clusterConfig({ DOZEN_CLUSTER_TOKEN: short }, host)).toThrow(/DOZEN_CLUSTER_TOKEN="\*\*\*" is not valid: expected 32 to 512/);
    try {
      clusterConfig({ DOZEN_CLUSTER_TOKEN: short }, host);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(short);
      expect((error as { code: string }).code).toBe('PLATFORM_CONFIG_INVALID');
    }
  });

  it.each([
    ['DOZEN_CLUSTER_TOKEN', 'x'.repeat(31)],
    ['DOZEN_CLUSTER_TOKEN', `${'x'.repeat(32)} y`],
    ['DOZEN_API_URLS', 'ftp://a'],
    ['DOZEN_API_URLS', 'http://u:p@a:7000'],
    ['DOZEN_API_URLS', 'http://a,nope'],
    ['DOZEN_RELAY_PORT', '65536'],
    ['DOZEN_RELAY_PORT', '-1'],
    ['DOZEN_HOST_ID', 'a b'],
    ['DOZEN_HOST_ID', '-x'],
    ['DOZEN_BUILDER_TIMEOUT', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => clusterConfig({ [name]: value }, host)).toThrow(new RegExp(`^${name}=.* is not valid`));
  });

  it('serve refuses a role without PostgreSQL, without the token, and builder/runtime without api URLs', () => {
    const full = clusterConfig({ DOZEN_CLUSTER_TOKEN: TOKEN, DOZEN_API_URLS: 'http://a:7000' }, host);
    const pg = { kind: 'postgres' };
    expect(() => requireClusterSettings('api', { kind: 'sqlite' }, full)).toThrow(/`dozen serve api` needs DATABASE_URL=postgres/);
    expect(() => requireClusterSettings('router', pg, clusterConfig({}, host))).toThrow(/`dozen serve router` needs DOZEN_CLUSTER_TOKEN/);
    const noUrls = clusterConfig({ DOZEN_CLUSTER_TOKEN: TOKEN }, host);
    expect(() => requireClusterSettings('builder', pg, noUrls)).toThrow(/`dozen serve builder` needs DOZEN_API_URLS/);
    expect(() => requireClusterSettings('runtime', pg, noUrls)).toThrow(/needs DOZEN_API_URLS/);
    expect(() => requireClusterSettings('api', pg, noUrls)).not.toThrow();
    for (const role of ['api', 'router', 'builder', 'runtime'] as const) expect(() => requireClusterSettings(role, pg, full)).not.toThrow();
  });
});
