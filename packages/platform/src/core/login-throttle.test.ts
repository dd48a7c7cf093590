import { describe, expect, it } from 'vitest';
import type { DozenError } from '@dozen/contracts/errors';
import { LoginThrottle } from './login-throttle.js';
import type { Clock } from './ports/clock.js';

class HeldClock implements Clock {
  constructor(public ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  after(): () => void {
    return () => undefined;
  }
}

const refusal = (fn: () => void): DozenError | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error as DozenError;
  }
};

describe('failed logins per address (5 per 15 minutes)', () => {
  it('refuses the sixth attempt with LOGIN_RATE_LIMITED and when to come back, for that address only', () => {
    const clock = new HeldClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 5; i++) {
      throttle.check('10.0.0.1');
      throttle.fail('10.0.0.1');
      clock.ms += 60_000;
    }
    const error = refusal(() => throttle.check('10.0.0.1'));
    expect(error?.code).toBe('LOGIN_RATE_LIMITED');
    expect(error?.status).toBe(429);
    // The first failure leaves the window 15 minutes after it: 10 minutes from now.
    expect(error?.details).toEqual({ retryAfterSeconds: 600 });
    expect(error?.message).toMatch(/10\.0\.0\.1.*600 seconds/);
    expect(refusal(() => throttle.check('10.0.0.2'))).toBeUndefined();
  });

  it('lets the address in again once its failures leave the window, and a success clears them', () => {
    const clock = new HeldClock();
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 5; i++) throttle.fail('a');
    expect(refusal(() => throttle.check('a'))?.code).toBe('LOGIN_RATE_LIMITED');
    clock.ms += 15 * 60_000 + 1;
    expect(refusal(() => throttle.check('a'))).toBeUndefined();
    for (let i = 0; i < 4; i++) throttle.fail('a');
    throttle.succeed('a');
    throttle.fail('a');
    expect(refusal(() => throttle.check('a'))).toBeUndefined();
  });
});
