import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './local-paths.js';

describe('the default data dir', () => {
  it('is $XDG_DATA_HOME/dozen when set, /var/lib/dozen for root, ~/.local/share/dozen otherwise', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 0)).toBe('/data/dozen');
    expect(defaultDataDir({}, 0)).toBe('/var/lib/dozen');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 1000)).toBe(`${homedir()}/.local/share/dozen`);
  });
});
