import { describe, expect, it } from 'vitest';
import { applyConfigChanges, CONFIG_MAX_BYTES } from './config-vars.js';

describe('applyConfigChanges', () => {
  it('sets and unsets keys, keeping values byte-exact', () => {
    const value = "a\nb $(id) `x` '\"${HOME}";
    expect(applyConfigChanges({ A: '1', B: '2' }, { A: null, C: value })).toEqual({ B: '2', C: value });
  });

  it.each(['A B', '1A', 'A=B', '', 'é'])('rejects the key %j', (key) => {
    expect(() => applyConfigChanges({}, { [key]: 'x' })).toThrow(expect.objectContaining({ code: 'CONFIG_KEY_INVALID' }));
  });

  it('rejects reserved keys and NUL bytes', () => {
    expect(() => applyConfigChanges({}, { PORT: '1' })).toThrow(expect.objectContaining({ code: 'CONFIG_KEY_RESERVED' }));
    expect(() => applyConfigChanges({}, { DOZEN_APP: 'x' })).toThrow(expect.objectContaining({ code: 'CONFIG_KEY_RESERVED' }));
    expect(() => applyConfigChanges({}, { A: 'a\u0000b' })).toThrow(expect.objectContaining({ code: 'CONFIG_VALUE_INVALID' }));
  });

  it('enforces the total size limit', () => {
    expect(() => applyConfigChanges({}, { BIG: 'x'.repeat(CONFIG_MAX_BYTES) })).toThrow(expect.objectContaining({ code: 'CONFIG_TOO_LARGE' }));
    expect(applyConfigChanges({}, { BIG: 'x'.repeat(CONFIG_MAX_BYTES - 3) })).toHaveProperty('BIG');
  });
});
