import { describe, expect, it } from 'vitest';
import type { ReviewApp } from './ports/pipelines-store.js';
import { reviewAppName, staleReviewApps } from './review-apps.js';

describe('the review app of a branch', () => {
  it.each([
    ['feature-x', 'shop-pr-feature-x'],
    ['Feature/Login_Page', 'shop-pr-feature-login-page'],
    ['fix//double..dots', 'shop-pr-fix-double-dots'],
    ['-leading-and-trailing-', 'shop-pr-leading-and-trailing'],
    ['ÜBER-ünicode', 'shop-pr-ber-nicode'],
    ['a-very-long-branch-name-for-a-feature', 'shop-pr-a-very-long-bran-e916e'],
  ])('%s -> %s', (branch, name) => {
    const mapped = reviewAppName('shop', branch);
    expect(mapped).toBe(name);
    expect(mapped).toMatch(/^[a-z][a-z0-9-]{1,29}$/);
  });

  it('a cut name ends in a hash of the whole branch: two branches sharing a long beginning get two apps', () => {
    const a = reviewAppName('shop', 'a-very-long-branch-name-for-a-feature');
    const b = reviewAppName('shop', 'a-very-long-branch-name-for-another');
    expect(a).toHaveLength(30);
    expect(a).not.toBe(b);
    expect(a.slice(0, 24)).toBe(b.slice(0, 24));
  });

  it('refuses a branch with nothing usable, saying how it was mapped', () => {
    for (const branch of ['___', '日本語', '--']) {
      expect(() => reviewAppName('shop', branch)).toThrow(expect.objectContaining({ code: 'REVIEW_BRANCH_INVALID', message: expect.stringContaining(JSON.stringify(branch)) }));
    }
  });
});

describe('stale review apps', () => {
  const review = (appId: string, pipelineId: string, lastPushAt: string): ReviewApp => ({ appId, pipelineId, branch: appId, createdAt: '2026-01-01T00:00:00.000Z', lastPushAt });
  const now = new Date('2026-01-10T12:00:00.000Z');

  it('are those without a push for their pipeline\'s stale days; a pipeline with review apps off keeps its own', () => {
    const reviews = [
      review('fresh', 'p5', '2026-01-06T12:00:01.000Z'),
      review('exactly', 'p5', '2026-01-05T12:00:00.000Z'),
      review('old', 'p5', '2026-01-01T00:00:00.000Z'),
      review('long-kept', 'p30', '2026-01-01T00:00:00.000Z'),
      review('disabled', 'off', '2025-01-01T00:00:00.000Z'),
    ];
    const days = (id: string) => ({ p5: 5, p30: 30 })[id] ?? null;
    expect(staleReviewApps(reviews, days, now).map((r) => r.appId)).toEqual(['exactly', 'old']);
  });
});
