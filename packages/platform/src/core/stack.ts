/**
 * Heroku's stacks and the glibc of the Ubuntu release each is built on: a binary built for a
 * stack runs on a host whose glibc is at least as new (glibc keeps backward compatibility).
 */
const STACKS: readonly { name: string; glibc: [number, number] }[] = [
  { name: 'heroku-24', glibc: [2, 39] },
  { name: 'heroku-22', glibc: [2, 35] },
  { name: 'heroku-20', glibc: [2, 31] },
];

/** Heroku's current default stack: the name when the host's C library cannot be told. */
export const DEFAULT_STACK = 'heroku-24';

/**
 * The Heroku stack name a host offers to buildpacks ($STACK): the newest stack whose glibc the
 * host's meets, so that binaries a buildpack downloads for it run here (Debian 12, glibc 2.36:
 * heroku-22; Debian 13, glibc 2.41: heroku-24). Older than every stack: the oldest one; no
 * glibc known (musl, not Linux): the default.
 */
export function herokuStackFor(glibc: string | null): string {
  const match = glibc === null ? null : /^(\d+)\.(\d+)/.exec(glibc);
  if (!match) return DEFAULT_STACK;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const fits = STACKS.find(({ glibc: [m, n] }) => major > m || (major === m && minor >= n));
  return (fits ?? STACKS[STACKS.length - 1])?.name ?? DEFAULT_STACK;
}
