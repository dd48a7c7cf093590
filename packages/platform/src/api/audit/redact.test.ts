import { describe, expect, it } from 'vitest';
import { REDACTED, redactRequest } from './redact.js';

describe('redactRequest', () => {
  it('a pipeline\'s review config is config too: names kept, values never (issue 17)', () => {
    const kept = redactRequest('updateReviewConfig', { params: { pipeline: 'shop' }, body: { SECRET_CANARY: 'c4n4ry', OLD: null } });
    expect(kept).toEqual({ params: { pipeline: 'shop' }, body: { SECRET_CANARY: REDACTED, OLD: null } });
    expect(JSON.stringify(kept)).not.toContain('c4n4ry');
  });

  it('keeps config var names and whether each is set or unset, never a value', () => {
    const kept = redactRequest('updateConfig', { params: { app: 'shop' }, query: { dryRun: 'false' }, body: { GREETING: 'hello', SECRET_CANARY: 'c4n4ry', OLD: null } });
    expect(kept).toEqual({ params: { app: 'shop' }, query: { dryRun: 'false' }, body: { GREETING: REDACTED, SECRET_CANARY: REDACTED, OLD: null } });
    expect(JSON.stringify(kept)).not.toMatch(/hello|c4n4ry/);
  });

  it('redacts secret-named fields at any depth and masks credentials in URLs', () => {
    const kept = redactRequest('addDrain', {
      body: { url: 'syslog+tls://user:hunter2@logs.example.com:6514?token=abc', nested: { password: 'pw', list: [{ apiKey: 'k' }] }, email: 'ada@example.com' },
    });
    const text = JSON.stringify(kept);
    expect(text).not.toMatch(/hunter2|"pw"|"k"|abc/);
    expect(text).toContain('logs.example.com');
    expect(text).toContain('ada@example.com');
    expect((kept.body as { nested: { password: string } }).nested.password).toBe(REDACTED);
  });

  it('leaves out bodies that are not JSON (archives, git packs) and empty parts', () => {
    expect(redactRequest('createBuild', { params: { app: 'shop' }, query: {}, body: Buffer.from('tar') })).toEqual({ params: { app: 'shop' } });
  });

  it('cuts parameters past the limit instead of keeping a huge body', () => {
    const kept = redactRequest('createRun', { body: { command: ['x'.repeat(20_000)] } });
    expect(kept).toEqual({ truncated: expect.stringMatching(/^2\d{4} characters/) });
  });
});
