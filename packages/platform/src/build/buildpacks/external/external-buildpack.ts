import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { ProcessTypes } from '../../../core/model.js';
import { isProcessType } from '../../../core/names.js';
import type { Buildpack, BuildContext } from '../buildpack.js';

// Variables bash adds by itself: not exports of the buildpack.
const SHELL_NOISE = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

/**
 * A buildpack of Heroku's API in a directory (a private copy for this build, so that its
 * `export` file stays its own): `bin/detect BUILD_DIR`, `bin/compile BUILD_DIR CACHE_DIR ENV_DIR`,
 * `bin/release BUILD_DIR` (YAML `default_process_types`). Its commands get a clean environment;
 * config vars reach it only through ENV_DIR.
 */
export class ExternalBuildpack implements Buildpack {
  readonly name: string;

  constructor(
    readonly id: string,
    private readonly dir: string,
  ) {
    this.name = id;
  }

  async detect(context: BuildContext): Promise<string | null> {
    // Its copy is declared written so that it becomes the app's user's (files only their owner
    // could read included) before its first program runs.
    const result = await context.run([join(this.dir, 'bin', 'detect'), context.buildDir], { writes: [this.dir], readOnly: true, capture: true, quiet: true });
    if (result.code !== 0) return null;
    const said = result.stdout.trim().split('\n')[0]?.trim();
    return said ? said.slice(0, 80) : this.id;
  }

  async compile(context: BuildContext): Promise<void> {
    await context.phase(`compile ${shortName(this.id)}`, () => context.exec([join(this.dir, 'bin', 'compile'), context.buildDir, context.cacheDir, context.envDir], { reads: [this.dir, context.envDir], writes: [this.dir], network: true }));
    await this.applyExports(context);
  }

  async release(context: BuildContext): Promise<ProcessTypes> {
    const script = join(this.dir, 'bin', 'release');
    if (!existsSync(script)) return {};
    const result = await context.run([script, context.buildDir], { reads: [this.dir], readOnly: true, capture: true, quiet: true });
    if (result.code !== 0) throw new DozenError('BUILD_FAILED', `${this.id}: bin/release failed with exit code ${result.code}: ${result.tail.slice(-3).join(' | ')}`);
    // The YAML parser is loaded by the first buildpack that has a bin/release, not by every platform.
    const { parse: parseYaml } = await import('yaml');
    return parseRelease(result.stdout, this.id, parseYaml);
  }

  /** Heroku's multi-buildpack rule: what bin/compile wrote to `<buildpack>/export` is sourced for the next ones. */
  private async applyExports(context: BuildContext): Promise<void> {
    const file = join(this.dir, 'export');
    if (!existsSync(file)) return;
    const script = 'set -a; . "$1" >/dev/null 2>&1 </dev/null; env -0';
    const result = await context.run(['bash', '-c', script, 'export', file], { reads: [this.dir], readOnly: true, capture: true, quiet: true });
    if (result.code !== 0) throw new DozenError('BUILD_FAILED', `${this.id}: its export file could not be read (exit code ${result.code}).`);
    const changed: string[] = [];
    for (const pair of result.stdout.split('\u0000')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (SHELL_NOISE.has(key) || context.env[key] === value) continue;
      context.env[key] = value;
      changed.push(key);
    }
    if (changed.length > 0) context.output.line(`       Exported for the next buildpacks: ${changed.sort().join(', ')}`);
  }
}

/** `hello` for `/srv/buildpacks/hello` or `https://host/x/hello.git#v2`. */
function shortName(id: string): string {
  return (id.split('#')[0] ?? id).replace(/\/+$/, '').split('/').pop()?.replace(/\.git$/, '') || id;
}

function parseRelease(text: string, id: string, parseYaml: (text: string, options: { maxAliasCount: number }) => unknown): ProcessTypes {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : parseYaml(text, { maxAliasCount: 10 });
  } catch (error) {
    throw new DozenError('BUILD_FAILED', `${id}: bin/release did not print YAML: ${(error as Error).message}`);
  }
  const types = (parsed as { default_process_types?: unknown } | null)?.default_process_types;
  if (types === undefined || types === null) return {};
  if (typeof types !== 'object' || Array.isArray(types)) throw new DozenError('BUILD_FAILED', `${id}: bin/release default_process_types must be a map of type: command.`);
  const result: ProcessTypes = {};
  for (const [type, command] of Object.entries(types)) {
    if (!isProcessType(type) || typeof command !== 'string' || command.trim() === '') {
      throw new DozenError('BUILD_FAILED', `${id}: bin/release offers an invalid process type ${JSON.stringify(type)}.`);
    }
    result[type] = command;
  }
  return result;
}
