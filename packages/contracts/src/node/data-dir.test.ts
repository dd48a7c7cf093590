import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { adminTokenPath, dataDirLayout, defaultDataDir } from './data-dir.js';

describe('the default data dir', () => {
  it('is $XDG_DATA_HOME/dozen when set, /var/lib/dozen for root, ~/.local/share/dozen otherwise', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 0)).toBe('/data/dozen');
    expect(defaultDataDir({}, 0)).toBe('/var/lib/dozen');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 1000)).toBe(`${homedir()}/.local/share/dozen`);
  });
});

describe('the data dir layout', () => {
  it('puts every part under the root, each in its own place', () => {
    const layout = dataDirLayout('/srv/dozen');
    const paths = Object.entries(layout).filter(([name]) => name !== 'root').map(([, path]) => path);
    expect(paths.every((path) => path.startsWith('/srv/dozen/'))).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
    expect(layout.runtimesScratch.startsWith(`${layout.runtimes}/`)).toBe(true);
    expect(layout.store).toBe('/srv/dozen/dozen.db');
    expect(adminTokenPath('/srv/dozen')).toBe('/srv/dozen/admin-token');
  });
});
