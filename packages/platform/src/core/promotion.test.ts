import { describe, expect, it } from 'vitest';
import type { Slug } from './model.js';
import { assertSameStack, promotedSlugId, promotionTargets, type StagedApp } from './promotion.js';

const apps: StagedApp[] = [
  { name: 'web-dev', stage: 'development' },
  { name: 'web-staging', stage: 'staging' },
  { name: 'web-prod', stage: 'production' },
  { name: 'web-prod-eu', stage: 'production' },
];

function slug(stack: string | undefined): Slug {
  return { id: 's1', appId: 'a1', buildId: 'b1', processTypes: { web: 'node server.js' }, buildpack: 'nodejs', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {}, ...(stack === undefined ? {} : { stack }) }, createdAt: '2026-01-01T00:00:00.000Z' };
}

describe('promotion targets', () => {
  it('goes to every app of the next stage that has apps', () => {
    expect(promotionTargets('web', apps, 'web-staging')).toEqual(['web-prod', 'web-prod-eu']);
    expect(promotionTargets('web', apps, 'web-dev')).toEqual(['web-staging']);
    expect(promotionTargets('web', apps.filter((a) => a.stage !== 'staging'), 'web-dev')).toEqual(['web-prod', 'web-prod-eu']);
  });

  it('--to: only the apps named, each downstream', () => {
    expect(promotionTargets('web', apps, 'web-dev', ['web-prod-eu'])).toEqual(['web-prod-eu']);
  });

  it('refuses a target outside the pipeline, one not downstream, and a source at the last stage, naming them', () => {
    expect(() => promotionTargets('web', apps, 'web-staging', ['other'])).toThrow(expect.objectContaining({ code: 'PROMOTE_TARGET_INVALID', message: 'other is not in the pipeline web: a promotion from web-staging goes only to its downstream apps.' }));
    expect(() => promotionTargets('web', apps, 'web-staging', ['web-dev'])).toThrow(expect.objectContaining({ code: 'PROMOTE_TARGET_INVALID', message: expect.stringContaining('web-dev (development) is not downstream of web-staging (staging)') }));
    expect(() => promotionTargets('web', apps, 'web-staging', ['web-staging'])).toThrow(expect.objectContaining({ code: 'PROMOTE_TARGET_INVALID' }));
    expect(() => promotionTargets('web', apps, 'web-prod')).toThrow(expect.objectContaining({ code: 'PROMOTE_TARGET_INVALID', message: expect.stringContaining('web-prod is at the last stage') }));
    expect(() => promotionTargets('web', apps, 'stranger')).toThrow(expect.objectContaining({ code: 'PIPELINE_APP_NOT_IN', message: 'stranger is not in the pipeline web.' }));
  });
});

describe('the stack of a promoted slug', () => {
  it('must be the target\'s; a slug from before stacks were recorded counts as the platform\'s', () => {
    expect(() => assertSameStack(slug('heroku-24'), 'staging', { name: 'prod', stack: 'heroku-24' }, 'heroku-24')).not.toThrow();
    expect(() => assertSameStack(slug(undefined), 'staging', { name: 'prod', stack: 'heroku-22' }, 'heroku-22')).not.toThrow();
    expect(() => assertSameStack(slug('heroku-22'), 'staging', { name: 'prod', stack: 'heroku-24' }, 'heroku-24')).toThrow(
      expect.objectContaining({ code: 'PROMOTE_STACK_MISMATCH', message: 'The slug of staging was built for heroku-22, but prod runs on heroku-24: it cannot be promoted there.' }),
    );
  });

  it('the copy of a slug for a target has one id per (target, slug)', () => {
    expect(promotedSlugId('a2', 's1')).toBe(promotedSlugId('a2', 's1'));
    expect(promotedSlugId('a2', 's1')).not.toBe(promotedSlugId('a3', 's1'));
    expect(promotedSlugId('a2', 's1')).toMatch(/^[0-9a-f]{32}$/);
  });
});
