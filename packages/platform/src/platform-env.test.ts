import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlatformEnv } from '@dozen/contracts/node';

/** `dozen service:install` writes the variables `isPlatformEnv` names: every one config.ts reads. */
describe('the platform environment', () => {
  it('isPlatformEnv covers every variable config.ts reads, and not the CLI\'s own', () => {
    const source = readFileSync(join(import.meta.dirname, 'config.ts'), 'utf8');
    const names = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|'((?:DOZEN_|PORT)[A-Z0-9_]*)'/g)].map((m) => (m[1] ?? m[2]) as string));
    expect(names.size).toBeGreaterThan(40);
    expect([...names].filter((name) => !isPlatformEnv(name))).toEqual([]);
    for (const name of ['DOZEN_API_URL', 'DOZEN_API_TOKEN', 'DOZEN_PASSWORD', 'HOME', 'PATH']) expect(isPlatformEnv(name), name).toBe(false);
  });
});
