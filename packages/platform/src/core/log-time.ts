/** Heroku's timestamp shape, with microseconds: `2026-11-24T20:15:03.123456+00:00`. */
export function formatLogTime(timeMicros: number): string {
  const iso = new Date(Math.floor(timeMicros / 1000)).toISOString();
  const micros = String(timeMicros % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${micros}+00:00`;
}
