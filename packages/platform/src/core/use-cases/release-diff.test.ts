import { describe, expect, it } from 'vitest';
import type { Release } from '../model.js';
import { compareReleases } from './release-diff.js';

function release(version: number, config: Record<string, string>, extra: Partial<Release> = {}): Release {
  return { id: `r${version}`, appId: 'a', version, slugId: 'slug-1', buildId: 'build-1', config, description: '', status: 'succeeded', failure: null, createdAt: '2026-01-01T00:00:00Z', commit: null, ...extra };
}

describe('compareReleases', () => {
  it('names the config keys added, removed and changed, and never a value', () => {
    const a = release(1, { KEEP: 'same', OLD: 'gone-secret', TOKEN: 'old-secret', constructor: 'x' });
    const b = release(2, { KEEP: 'same', NEW: 'new-secret', TOKEN: 'new-secret', constructor: 'x' });
    const diff = compareReleases(a, b);
    expect(diff.config).toEqual({ added: ['NEW'], removed: ['OLD'], changed: ['TOKEN'] });
    expect(JSON.stringify(diff)).not.toMatch(/secret/);
  });

  it('reports add-on attachments and slug, build and commit changes', () => {
    const a = release(1, { DATABASE_URL: 'postgres://a' }, { addonVars: ['DATABASE_URL'] });
    const b = release(2, { REDIS_URL: 'redis://b' }, { addonVars: ['REDIS_URL'], slugId: 'slug-2', buildId: 'build-2', commit: 'abc' });
    const diff = compareReleases(a, b);
    expect(diff.addons).toEqual({ attached: ['REDIS_URL'], detached: ['DATABASE_URL'] });
    expect(diff.slug).toEqual({ from: 'slug-1', to: 'slug-2' });
    expect(diff.build).toEqual({ from: 'build-1', to: 'build-2' });
    expect(diff.commit).toEqual({ from: null, to: 'abc' });
    expect(compareReleases(a, a).slug).toBeNull();
  });
});
