import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintSlugToken, slugOfToken } from './slug-token.js';

describe('slug tokens', () => {
  const key = randomBytes(32);

  it('open the slug they were made for, whatever characters the MAC holds', () => {
    for (let i = 0; i < 200; i++) {
      const slugId = randomUUID();
      expect(slugOfToken(key, mintSlugToken(key, slugId))).toBe(slugId);
    }
  });

  it('open nothing when changed, made with another key, or naming another slug', () => {
    const token = mintSlugToken(key, 'slug-a');
    expect(slugOfToken(key, `${token}x`)).toBeNull();
    expect(slugOfToken(randomBytes(32), token)).toBeNull();
    expect(slugOfToken(key, token.replace('slug-a', 'slug-b'))).toBeNull();
    expect(slugOfToken(key, 'dzslug_')).toBeNull();
    expect(slugOfToken(key, 'Bearer nothing')).toBeNull();
  });
});
