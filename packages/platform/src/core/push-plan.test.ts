import { describe, expect, it } from 'vitest';
import { planPush } from './push-plan.js';

const ZERO = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const DEFAULT = ['main', 'master'];

describe('push plan: what a push does before anything is built', () => {
  it('deploys a push to main, and stores other branches and tags saying so', () => {
    const plan = planPush(
      [
        { ref: 'refs/heads/main', oldCommit: A, newCommit: B },
        { ref: 'refs/heads/feature', oldCommit: ZERO, newCommit: C },
        { ref: 'refs/tags/v1', oldCommit: ZERO, newCommit: B },
      ],
      DEFAULT,
      { 'refs/heads/main': A },
    );
    expect(plan.deploy).toEqual({ branch: 'main', commit: B });
    expect(plan.notes).toEqual([
      'Stored branch feature (ccccccc), not deployed: pushes to main or master deploy.',
      'Stored tag v1 (bbbbbbb), not deployed: pushes to main or master deploy.',
    ]);
  });

  it('deploys master too by default, and only the configured branch when the app has one', () => {
    expect(planPush([{ ref: 'refs/heads/master', oldCommit: ZERO, newCommit: B }], DEFAULT, {}).deploy).toEqual({ branch: 'master', commit: B });
    const custom = planPush([{ ref: 'refs/heads/main', oldCommit: ZERO, newCommit: B }], ['production'], {});
    expect(custom.deploy).toBeNull();
    expect(custom.notes[0]).toContain('not deployed: pushes to production deploy');
  });

  it('lets other branches be deleted but never the deploy branch', () => {
    expect(planPush([{ ref: 'refs/heads/old', oldCommit: A, newCommit: ZERO }], DEFAULT, { 'refs/heads/old': A }).notes).toEqual(['Deleted branch old.']);
    expect(() => planPush([{ ref: 'refs/heads/main', oldCommit: A, newCommit: ZERO }], DEFAULT, { 'refs/heads/main': A })).toThrow(/Deleting the deploy branch main is refused/);
  });

  it('refuses two deploy branches in one push', () => {
    const updates = [
      { ref: 'refs/heads/main', oldCommit: ZERO, newCommit: B },
      { ref: 'refs/heads/master', oldCommit: ZERO, newCommit: C },
    ];
    expect(() => planPush(updates, DEFAULT, {})).toThrow(/updates main and master at once/);
  });

  it('refuses a push whose refs moved since the pusher looked (another push came first)', () => {
    expect(() => planPush([{ ref: 'refs/heads/main', oldCommit: A, newCommit: C }], DEFAULT, { 'refs/heads/main': B })).toThrow(
      expect.objectContaining({ code: 'GIT_PUSH_STALE' }),
    );
    expect(() => planPush([{ ref: 'refs/heads/main', oldCommit: ZERO, newCommit: C }], DEFAULT, { 'refs/heads/main': B })).toThrow(/updated by another push/);
    expect(() => planPush([{ ref: 'refs/heads/x', oldCommit: A, newCommit: C }], DEFAULT, {})).toThrow(/updated by another push/);
  });

  it('refuses the whole push when one ref name is bad', () => {
    const updates = [
      { ref: 'refs/heads/main', oldCommit: ZERO, newCommit: B },
      { ref: 'refs/heads/-x', oldCommit: ZERO, newCommit: B },
    ];
    expect(() => planPush(updates, DEFAULT, {})).toThrow(expect.objectContaining({ code: 'GIT_REF_INVALID' }));
  });

  it('with review apps on, other branches pushed or deleted are review apps\' (tags are only stored); an unusable branch name refuses the push', () => {
    const plan = planPush(
      [
        { ref: 'refs/heads/main', oldCommit: A, newCommit: B },
        { ref: 'refs/heads/Feature/X', oldCommit: ZERO, newCommit: C },
        { ref: 'refs/heads/old', oldCommit: A, newCommit: ZERO },
        { ref: 'refs/tags/v1', oldCommit: ZERO, newCommit: B },
      ],
      DEFAULT,
      { 'refs/heads/main': A, 'refs/heads/old': A },
      'shop',
    );
    expect(plan.deploy).toEqual({ branch: 'main', commit: B });
    expect(plan.reviews).toEqual([
      { branch: 'Feature/X', commit: C, app: 'shop-pr-feature-x' },
      { branch: 'old', commit: null, app: 'shop-pr-old' },
    ]);
    expect(plan.notes).toEqual(['Stored tag v1 (bbbbbbb), not deployed: pushes to main or master deploy.']);
    expect(() => planPush([{ ref: 'refs/heads/___', oldCommit: ZERO, newCommit: C }], DEFAULT, {}, 'shop')).toThrow(expect.objectContaining({ code: 'REVIEW_BRANCH_INVALID' }));
    // Without review apps the same push makes none.
    expect(planPush([{ ref: 'refs/heads/feature', oldCommit: ZERO, newCommit: C }], DEFAULT, {}).reviews).toEqual([]);
  });
});
