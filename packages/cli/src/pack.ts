import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import ignore, { type Ignore } from 'ignore';
import { create } from 'tar';

/** Never uploaded unless a .dozenignore says `!node_modules`: the platform installs dependencies itself. */
const DEFAULT_IGNORES = ['node_modules/'];

/** Never uploaded, whatever the ignore files say: a repository (a directory, or the file of a worktree or submodule). */
const NEVER = '.git';

interface Matcher {
  base: string;
  rules: Ignore;
}

/**
 * The files of an app directory that a deploy sends: everything but what .gitignore and
 * .dozenignore exclude (nested .gitignore files apply below their directory), never `.git`.
 */
export async function listSourceFiles(root: string): Promise<string[]> {
  const rootRules = ignore().add(DEFAULT_IGNORES);
  for (const name of ['.gitignore', '.dozenignore']) {
    const file = join(root, name);
    if (existsSync(file)) rootRules.add(readFileSync(file, 'utf8'));
  }
  const files: string[] = [];
  await walk(root, root, [{ base: root, rules: rootRules }], files);
  return files.sort();
}

async function walk(root: string, dir: string, matchers: Matcher[], files: string[]): Promise<void> {
  let scoped = matchers;
  if (dir !== root && existsSync(join(dir, '.gitignore'))) {
    scoped = [...matchers, { base: dir, rules: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
  }
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === NEVER) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory();
    if (scoped.some((m) => m.rules.ignores(relative(m.base, path) + (isDir ? '/' : '')))) continue;
    if (isDir) await walk(root, path, scoped, files);
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative(root, path));
  }
}

/** A gzipped tarball of `files` (relative to `root`), streamed as it is made. */
export function packSource(root: string, files: string[]): ReadableStream<Uint8Array> {
  const pack = create({ gzip: true, cwd: root, portable: true, follow: false, noDirRecurse: true }, files);
  return Readable.toWeb(Readable.from(pack as AsyncIterable<Buffer>)) as ReadableStream<Uint8Array>;
}
