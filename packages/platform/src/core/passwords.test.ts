import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { assertPasswordStrong, hashPassword, verifyPassword } from './passwords.js';

describe('passwords (scrypt, a salt per password)', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash: the same password twice gives two hashes', async () => {
    expect(await hashPassword('correct horse battery')).not.toBe(await hashPassword('correct horse battery'));
  });

  it('never matches a malformed or foreign stored value', async () => {
    for (const stored of ['', 'scrypt$', 'plain', '$2b$10$abc', 'scrypt$32768$8$1$c2FsdA$']) expect(await verifyPassword('x', stored), stored).toBe(false);
  });

  it('states the rule when a password is too short', () => {
    expect(() => assertPasswordStrong('short')).toThrow(DozenError);
    expect(() => assertPasswordStrong('elevenchars')).toThrow(/at least 12 characters/);
    expect(() => assertPasswordStrong('twelve chars')).not.toThrow();
  });
});
