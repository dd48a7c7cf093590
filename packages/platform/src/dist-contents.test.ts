import { execFileSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGE = resolve(import.meta.dirname, '..');
const TSC = join(PACKAGE, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * What `npm run build` compiles into dist/: the platform only. Test code (tests, conformance
 * suites that import vitest, test-support helpers) stays out, whether by the tsconfig's exclude or
 * because no platform file imports it (an import would pull it back in).
 */
describe('dist/ holds no test code', () => {
  it('compiles no *.test.ts, *-conformance.ts or test-support/ file', () => {
    const files = execFileSync(process.execPath, [TSC, '-p', join(PACKAGE, 'tsconfig.json'), '--listFilesOnly'], { encoding: 'utf8' })
      .split('\n')
      .filter((file) => file.startsWith(join(PACKAGE, 'src')))
      .map((file) => relative(PACKAGE, file));
    expect(files).toContain('src/main.ts');
    expect(files.filter((file) => /\.test\.ts$|-conformance\.ts$|\/test-support\//.test(file))).toEqual([]);
  });
});
