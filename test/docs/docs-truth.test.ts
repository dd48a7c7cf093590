import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, routes, streamRoutes } from '../../packages/contracts/src/index.js';
import type { CliContext } from '../../packages/cli/src/context.js';
import { buildProgram } from '../../packages/cli/src/program.js';

const docs = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'docs', name), 'utf8');

/** The reference docs are checked against the code, so they cannot silently drift. */
describe('docs stay true to the code', () => {
  it('errors.md lists every code of the catalogue with its status', () => {
    const text = docs('errors.md');
    for (const [code, { status }] of Object.entries(errorCatalogue)) expect(text).toContain(`| \`${code}\` | ${status} |`);
  });

  it('api.md lists every route', () => {
    const text = docs('api.md');
    for (const route of [...Object.values(routes), ...Object.values(streamRoutes)]) {
      expect(text, `${route.method} ${route.url}`).toMatch(new RegExp(`\\| ${route.method} \\| \`${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('access.md lists every route with the rule its contract declares', () => {
    const text = docs('access.md');
    for (const route of [...Object.values(routes), ...Object.values(streamRoutes)]) {
      const rule = typeof route.access === 'string' ? route.access : route.access.app;
      expect(text, `${route.method} ${route.url}`).toContain(`| ${route.method} | \`${route.url}\` | ${rule} |`);
    }
  });

  it('cli.md lists every command', async () => {
    const text = docs('cli.md');
    const program = await buildProgram({} as CliContext);
    for (const command of program.commands) expect(text, command.name()).toContain(`| \`${command.name()}`);
  });
});
