import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { assertBranchName, deployBranches, isCommitId, parseRef } from './git-refs.js';

describe('git refs: which names a push may use', () => {
  it.each([
    ['refs/heads/main', 'branch', 'main'],
    ['refs/heads/feature/login-2', 'branch', 'feature/login-2'],
    ['refs/heads/release_1.2', 'branch', 'release_1.2'],
    ['refs/tags/v1.0.0', 'tag', 'v1.0.0'],
  ])('accepts %s', (ref, kind, name) => {
    expect(parseRef(ref)).toEqual({ kind, name });
  });

  it.each([
    ['refs/heads/-x', 'begins with `-`'],
    ['refs/heads/--exec=x', 'begins with `-`'],
    ['refs/heads/a..b', 'contains `..`'],
    ['refs/heads/a\u0001b', 'control character'],
    ['refs/heads/a\nb', 'control character'],
    ['refs/heads/$(id)', 'characters other than'],
    ['refs/heads/;id', 'characters other than'],
    ['refs/heads/`id`', 'characters other than'],
    ['refs/heads/a b', 'characters other than'],
    ['refs/heads/.hidden', 'begins with `.`'],
    ['refs/heads/a/-b', 'begins with `.` or `-`'],
    ['refs/heads/a//b', 'empty path segment'],
    ['refs/heads/x.lock', '.lock'],
    ['refs/heads/HEAD', 'HEAD'],
    [`refs/heads/${'a'.repeat(201)}`, 'longer than 200'],
    ['refs/heads/', 'is empty'],
  ])('refuses %j, saying why', (ref, why) => {
    let error: unknown;
    try {
      parseRef(ref);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DozenError);
    expect((error as DozenError).code).toBe('GIT_REF_INVALID');
    expect((error as DozenError).message).toContain(why);
    expect((error as DozenError).message).toContain(JSON.stringify(ref.slice('refs/heads/'.length)).slice(0, 40));
  });

  it('refuses refs that are neither branches nor tags', () => {
    for (const ref of ['refs/notes/commits', 'refs/pull/1/head', 'HEAD', 'main', 'refs/remotes/origin/main']) {
      expect(() => parseRef(ref), ref).toThrow(/only branches \(refs\/heads\/\.\.\.\) and tags/);
    }
  });

  it('deploys main or master by default, or exactly the app setting', () => {
    expect(deployBranches(null)).toEqual(['main', 'master']);
    expect(deployBranches('production')).toEqual(['production']);
    expect(() => assertBranchName('-x')).toThrow(/begins with `-`/);
    expect(() => assertBranchName('production')).not.toThrow();
  });

  it('knows a commit id when it sees one', () => {
    expect(isCommitId('a'.repeat(40))).toBe(true);
    expect(isCommitId('b'.repeat(64))).toBe(true);
    for (const value of ['A'.repeat(40), 'a'.repeat(39), '--output=/tmp/x', `${'a'.repeat(40)}\n`]) expect(isCommitId(value), value).toBe(false);
  });
});
