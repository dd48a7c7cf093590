import { describe, expect, it } from 'vitest';
import { nextRestartWake } from './restart-timer.js';

describe('nextRestartWake', () => {
  it('wakes at the earliest restart the plan did not see as due', () => {
    expect(nextRestartWake([null, 1_500, 1_200, 900], 1_000, 1_000)).toBe(200);
  });

  it('has nothing to wake for when no restart waits', () => {
    expect(nextRestartWake([null, 800], 1_000, 1_000)).toBeNull();
  });

  it('wakes at once for a restart that became due between the plan and now (a timer that fired early)', () => {
    // The plan ran at 999 (the timer for 1000 fired a millisecond early): not due yet. By the time
    // the loop schedules its next wake it is 1001: the restart is due and must still get a wake.
    expect(nextRestartWake([1_000], 999, 1_001)).toBe(0);
  });
});
