import { describe, expect, it } from 'vitest';
import { applyAttachmentVars } from './attachment-vars.js';

describe('applyAttachmentVars', () => {
  it('drops the vars earlier attachments set, then sets the current ones over the rest', () => {
    const config = { GREETING: 'hi', DATABASE_URL: 'postgres://old', OLD_URL: 'smtp://gone' };
    expect(applyAttachmentVars(config, ['DATABASE_URL', 'OLD_URL'], { DATABASE_URL: 'postgres://new', REDIS_URL: 'redis://r' })).toEqual({ GREETING: 'hi', DATABASE_URL: 'postgres://new', REDIS_URL: 'redis://r' });
  });

  it('leaves user vars alone, and never mutates its input', () => {
    const config = { A: '1', B: '', DATABASE_URL: 'postgres://old', OLD_URL: 'smtp://gone' };
    const stale = ['DATABASE_URL', 'OLD_URL'];
    const attached = { DATABASE_URL: 'postgres://new' };
    const before = structuredClone({ config, stale, attached });
    const next = applyAttachmentVars(config, stale, attached);
    expect(next).toEqual({ A: '1', B: '', DATABASE_URL: 'postgres://new' });
    expect(next).not.toBe(config);
    expect({ config, stale, attached }).toEqual(before);
  });
});
