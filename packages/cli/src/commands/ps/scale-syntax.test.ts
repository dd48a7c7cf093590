import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { parseScaleChange, scaledQuantity } from './scale-syntax.js';

function failure(run: () => unknown): DozenError {
  try {
    run();
  } catch (error) {
    if (error instanceof DozenError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('ps:scale syntax (Heroku: web=N absolute, web+N / web-N relative)', () => {
  it('web=N sets the count', () => {
    expect(parseScaleChange('web=2')).toEqual({ type: 'web', amount: 2, relative: false });
    expect(parseScaleChange('web=0')).toEqual({ type: 'web', amount: 0, relative: false });
    expect(scaledQuantity(parseScaleChange('web=3'), 5)).toBe(3);
  });

  it('web+N and web-N change the count from what runs now', () => {
    expect(parseScaleChange('web+1')).toEqual({ type: 'web', amount: 1, relative: true });
    expect(parseScaleChange('my-worker-2')).toEqual({ type: 'my-worker', amount: -2, relative: true });
    expect(scaledQuantity(parseScaleChange('worker+2'), 1)).toBe(3);
    expect(scaledQuantity(parseScaleChange('worker-1'), 1)).toBe(0);
  });

  it('web=-1 is an error naming the value, not a relative change', () => {
    const error = failure(() => parseScaleChange('web=-1'));
    expect(error.code).toBe('FORMATION_INVALID');
    expect(error.message).toContain('web=-1');
    expect(error.hint).toContain('web-1');
  });

  it('removing more than runs is an error naming the change and the count', () => {
    const error = failure(() => scaledQuantity(parseScaleChange('web-3'), 1));
    expect(error.code).toBe('FORMATION_INVALID');
    expect(error.message).toContain('web-3');
    expect(error.message).toContain('runs 1');
  });

  it('anything else is a usage error naming it', () => {
    for (const bad of ['web', 'web=', 'web=two', '=2', 'web=+1', 'web 2', 'web=1.5']) {
      const error = failure(() => parseScaleChange(bad));
      expect(error.code, bad).toBe('CLI_USAGE');
      expect(error.message).toContain(JSON.stringify(bad));
    }
  });
});
