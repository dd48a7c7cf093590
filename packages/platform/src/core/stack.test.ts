import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK, herokuStackFor } from './stack.js';

describe('herokuStackFor', () => {
  it('names the newest Heroku stack whose glibc the host meets', () => {
    expect(herokuStackFor('2.36')).toBe('heroku-22'); // Debian 12
    expect(herokuStackFor('2.41')).toBe('heroku-24'); // Debian 13
    expect(herokuStackFor('2.39')).toBe('heroku-24'); // Ubuntu 24.04
    expect(herokuStackFor('2.35')).toBe('heroku-22'); // Ubuntu 22.04
    expect(herokuStackFor('2.31')).toBe('heroku-20');
    expect(herokuStackFor('3.0')).toBe('heroku-24');
  });

  it('falls back to the oldest stack for an older glibc, to the default when none is known', () => {
    expect(herokuStackFor('2.28')).toBe('heroku-20');
    expect(herokuStackFor(null)).toBe(DEFAULT_STACK);
    expect(herokuStackFor('unknown')).toBe(DEFAULT_STACK);
  });
});
