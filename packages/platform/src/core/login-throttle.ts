import { DozenError } from '@dozen/contracts/errors';
import type { Clock } from './ports/clock.js';

export interface ThrottleLimits {
  /** Failed attempts allowed per address within the window. */
  failures: number;
  windowMs: number;
}

export const LOGIN_LIMITS: ThrottleLimits = { failures: 5, windowMs: 15 * 60_000 };

/**
 * Failed logins per client address: past the limit within the window, every attempt from that
 * address is refused (429) until the oldest failure leaves the window. In memory: a restart
 * forgets, which costs an attacker a restart per 5 guesses.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
  ) {}

  /** Throws LOGIN_RATE_LIMITED (details.retryAfterSeconds) when the address is over the limit. */
  check(address: string): void {
    const recent = this.recent(address);
    if (recent.length < this.limits.failures) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(((recent[0] ?? 0) + this.limits.windowMs - this.clock.now().getTime()) / 1000));
    const minutes = Math.round(this.limits.windowMs / 60_000);
    throw new DozenError('LOGIN_RATE_LIMITED', `${recent.length} failed logins from ${address} in the last ${minutes} minutes: try again in ${retryAfterSeconds} seconds.`, { details: { retryAfterSeconds } });
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.clock.now().getTime());
    this.failures.set(address, recent);
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.clock.now().getTime() - this.limits.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    return recent;
  }
}
