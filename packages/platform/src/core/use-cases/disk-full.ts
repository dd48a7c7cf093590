import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';

/** Below this much free space (or 1 % of the disk, whichever is less) a failed build blames the disk. */
const NEARLY_FULL_BYTES = 16 * 1024 * 1024;

/**
 * A build that failed while the data dir's disk is full (an ENOSPC anywhere in the error, or next
 * to no space left now) fails with DISK_FULL naming the disk, rather than with whatever the
 * command that hit it said. Cancels and timeouts stay what they are.
 */
export async function diskFullOr(deps: CoreDeps, error: unknown, what: string): Promise<unknown> {
  if (error instanceof DozenError && (error.code === 'BUILD_CANCELLED' || error.code === 'BUILD_TIMED_OUT')) return error;
  const space = await deps.disk.space().catch(() => null);
  if (space === null) return error;
  const nearlyFull = space.freeBytes < Math.min(NEARLY_FULL_BYTES, space.totalBytes / 100);
  if (!nearlyFull && !hasEnospc(error)) return error;
  return new DozenError('DISK_FULL', `The disk holding the data dir ${space.path} is full (${mib(space.freeBytes)} free of ${mib(space.totalBytes)}): ${what} stopped.`, {
    details: { path: space.path, freeBytes: space.freeBytes, totalBytes: space.totalBytes },
    cause: error,
  });
}

function hasEnospc(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if ((e as Error & { code?: unknown }).code === 'ENOSPC' || /\bENOSPC\b|No space left on device/.test(e.message)) return true;
  }
  return false;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
