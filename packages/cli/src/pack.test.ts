import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSourceFiles } from './pack.js';

describe('the files a deploy sends (listSourceFiles)', () => {
  let root: string;
  const write = (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dozen-pack-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('honours the root .gitignore and nested .gitignore files, each below its own directory', async () => {
    write({
      'package.json': '{}',
      '.gitignore': '*.log\n/dist/\n',
      'app.log': 'x',
      'dist/out.js': 'x',
      'secret.txt': 'kept: the nested rule does not reach up',
      'sub/.gitignore': 'secret.txt\n/local.txt\n',
      'sub/secret.txt': 'x',
      'sub/local.txt': 'x',
      'sub/keep.js': 'x',
      'sub/debug.log': 'x',
      'sub/deeper/secret.txt': 'x',
      'sub/deeper/local.txt': 'kept: /local.txt is anchored at sub/',
      'sub/dist/inner.js': 'kept: /dist/ is anchored at the root',
      'other/local.txt': 'x',
    });
    expect(await listSourceFiles(root)).toEqual([
      '.gitignore',
      'other/local.txt',
      'package.json',
      'secret.txt',
      'sub/.gitignore',
      'sub/deeper/local.txt',
      'sub/dist/inner.js',
      'sub/keep.js',
    ]);
  });

  it('honours .dozenignore beside .gitignore, including its negations', async () => {
    write({
      'package.json': '{}',
      '.gitignore': 'build/\n',
      '.dozenignore': 'docs/\n*.md\n!README.md\n',
      'build/x.js': 'x',
      'docs/guide.txt': 'x',
      'NOTES.md': 'x',
      'README.md': 'x',
      'server.js': 'x',
    });
    expect(await listSourceFiles(root)).toEqual(['.dozenignore', '.gitignore', 'README.md', 'package.json', 'server.js']);
  });

  it('never sends node_modules unless .dozenignore says !node_modules', async () => {
    write({ 'package.json': '{}', 'node_modules/dep/index.js': 'x', 'lib/node_modules/nested/index.js': 'x' });
    expect(await listSourceFiles(root)).toEqual(['package.json']);
    write({ '.dozenignore': '!node_modules\n' });
    expect(await listSourceFiles(root)).toEqual(['.dozenignore', 'lib/node_modules/nested/index.js', 'node_modules/dep/index.js', 'package.json']);
  });

  it('never sends .git, as a directory or a file (worktrees, submodules), at any depth, whatever the ignore files say', async () => {
    write({
      'package.json': '{}',
      '.git/config': '[core]',
      '.git/HEAD': 'ref: refs/heads/main',
      'vendor/lib/.git': 'gitdir: /somewhere/else/.git/modules/lib',
      'vendor/lib/index.js': 'x',
      'worktree/.git/HEAD': 'x',
      '.gitignore': '!.git\n!.git/\n',
      '.dozenignore': '!.git\n!.git/\n!node_modules\n',
    });
    expect(await listSourceFiles(root)).toEqual(['.dozenignore', '.gitignore', 'package.json', 'vendor/lib/index.js']);
  });
});
