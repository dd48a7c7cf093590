import { describe, expect, it } from 'vitest';
import type { DozenError } from '@dozen/contracts/errors';
import { checkDataVersion, schemaNumber } from './data-version.js';

const known = ['001-initial', '002-slug-runtime', '003-builds'];
const base = { known, platform: '0.1.0', dataDir: '/var/lib/dozen', file: null, applied: [] };

function refusal(check: Parameters<typeof checkDataVersion>[0]): DozenError {
  try {
    checkDataVersion(check);
  } catch (error) {
    return error as DozenError;
  }
  throw new Error('expected a refusal');
}

describe('the data dir version check', () => {
  it('accepts a new data dir, the same schema and an older one (which is migrated)', () => {
    expect(() => checkDataVersion(base)).not.toThrow();
    expect(() => checkDataVersion({ ...base, file: { schema: '003-builds', platform: '0.1.0' }, applied: known })).not.toThrow();
    expect(() => checkDataVersion({ ...base, file: { schema: '001-initial', platform: '0.0.9' }, applied: ['001-initial'] })).not.toThrow();
  });

  it('refuses a VERSION file with a later schema, naming both versions', () => {
    const error = refusal({ ...base, file: { schema: '004-future', platform: '0.2.0' }, applied: known });
    expect(error.code).toBe('DATA_DIR_NEWER');
    expect(error.message).toBe('The data dir /var/lib/dozen was written by Dozen 0.2.0 (schema 004-future); this is Dozen 0.1.0 (schema 003-builds), which does not know schema 004-future.');
  });

  it('refuses a store with a migration it does not know, even without a VERSION file', () => {
    const error = refusal({ ...base, applied: [...known, '004-future'] });
    expect(error.code).toBe('DATA_DIR_NEWER');
    expect(error.message).toContain('a newer Dozen (its store has migration 004-future); this is Dozen 0.1.0 (schema 003-builds)');
    // A VERSION file of the same schema does not hide it.
    expect(refusal({ ...base, file: { schema: '003-builds', platform: '0.1.0' }, applied: [...known, '004-future'] }).message).toContain('its store has migration 004-future');
  });

  it('reads the number of a migration name', () => {
    expect(schemaNumber('014-acme')).toBe(14);
    expect(schemaNumber('x')).toBe(0);
  });
});
