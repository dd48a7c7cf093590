import { describe, expect, it } from 'vitest';
import type { DozenError } from '@dozen/contracts/errors';
import { assertSize, extraSizes, SIZES } from './process-sizes.js';

const GB = 1024 ** 3;

describe('process sizes', () => {
  it('an unknown size is refused with every known size listed', () => {
    const error = catchError(() => assertSize(SIZES, 'huge', 8 * GB));
    expect(error.code).toBe('PROCESS_SIZE_UNKNOWN');
    for (const size of SIZES) expect(error.message).toContain(`${size.name} (${size.memoryMb} MB)`);
  });

  it('a size over the host memory is refused, naming both figures; one that fits is returned', () => {
    const error = catchError(() => assertSize(SIZES, 'performance-l', 8 * GB));
    expect(error.code).toBe('PROCESS_SIZE_TOO_LARGE');
    expect(error.message).toContain('14336 MB');
    expect(error.message).toContain('8192 MB');
    expect(assertSize(SIZES, 'standard-2x', 8 * GB).memoryMb).toBe(1024);
  });

  it('DOZEN_EXTRA_SIZES adds name:megabytes sizes and refuses anything else', () => {
    expect(extraSizes('tiny:96, small:256')).toEqual([
      { name: 'tiny', memoryMb: 96, pids: 256, cpuWeight: 100, tmpMb: 96 },
      { name: 'small', memoryMb: 256, pids: 256, cpuWeight: 100, tmpMb: 256 },
    ]);
    expect(extraSizes(undefined)).toEqual([]);
    for (const bad of ['tiny', 'tiny:8', 'Tiny:96', 'tiny:96;rm']) expect(catchError(() => extraSizes(bad)).code).toBe('PLATFORM_CONFIG_INVALID');
  });
});

function catchError(action: () => unknown): DozenError {
  try {
    action();
  } catch (error) {
    return error as DozenError;
  }
  throw new Error('expected an error');
}
