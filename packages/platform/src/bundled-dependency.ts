import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const load = createRequire(import.meta.url);

/**
 * A CommonJS dependency as one file, `dist/bundled/<name>.cjs` (made by `npm run build`,
 * scripts/bundle-commonjs.js), when it is there; else from node_modules (the sources under test,
 * an install without rolldown). Each file a package is loaded from costs memory for as long as the
 * platform runs (docs/decisions.md, "Idle memory").
 */
export function requireBundled(name: 'kysely'): unknown {
  const bundle = new URL(`./bundled/${name}.cjs`, import.meta.url);
  return load(existsSync(bundle) ? fileURLToPath(bundle) : name);
}
