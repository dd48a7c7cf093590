/**
 * When the reconcile loop must wake next for crashed processes waiting to restart: the earliest
 * restart that the last plan (made at `plannedAt`) did not yet see as due, counted from `now`.
 *
 * The plan restarts what is due at its own time (`dueAt <= plannedAt`); anything later needs a
 * wake. Time passes between the plan and this call (the actions it carried out, a timer that
 * fired a millisecond early), so a restart may have become due meanwhile: it still gets a wake
 * (at once). Filtering on `now` instead would leave it with no wake at all, crashed for good.
 */
export function nextRestartWake(dueTimes: Iterable<number | null>, plannedAt: number, now: number): number | null {
  let earliest: number | null = null;
  for (const due of dueTimes) if (due !== null && due > plannedAt && (earliest === null || due < earliest)) earliest = due;
  return earliest === null ? null : Math.max(0, earliest - now);
}
