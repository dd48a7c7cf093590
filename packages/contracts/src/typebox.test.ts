import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm run build` bundles TypeBox into dist/typebox.js (scripts/bundle-typebox.js): one module
 * instead of 683 for the platform and the CLI to load. Left a re-export, everything still works,
 * only heavier, so nothing else would notice.
 */
describe('dist/typebox.js', () => {
  it('holds TypeBox itself, not imports of its modules', () => {
    const bundle = readFileSync(join(import.meta.dirname, '..', 'dist', 'typebox.js'), 'utf8');
    expect(bundle).not.toMatch(/\bfrom\s*["']typebox(\/[a-z]+)?["']|import\(\s*["']typebox/);
    expect(bundle).toContain('function Compile');
  });
});
