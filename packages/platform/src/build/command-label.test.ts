import { describe, expect, it } from 'vitest';
import { commandLabel } from './build-context.js';

describe('commandLabel', () => {
  it('names the package manager the platform runs through its own node', () => {
    expect(commandLabel(['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'build'])).toBe('npm run build');
    expect(commandLabel(['/srv/dozen/runtimes/node/22/bin/node', '/srv/dozen/runtimes/pnpm/9.1.0/node_modules/pnpm/bin/pnpm.cjs', 'install'])).toBe('pnpm install');
    expect(commandLabel(['node', 'scripts/build.js'])).toBe('node scripts/build.js');
    expect(commandLabel(['/usr/bin/git', 'fetch', '--depth', '1'])).toBe('git fetch --depth 1');
  });
});
