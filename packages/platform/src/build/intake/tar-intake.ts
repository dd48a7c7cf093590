import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Unpack } from 'tar';
import { DozenError } from '@dozen/contracts/errors';
import type { SourceHandle, SourceIntake } from '../../core/ports.js';
import { EntryCheck, type ArchiveLimits } from './entry-check.js';

/** Limits like Heroku's: 1 GB checkout, 500 MB upload. */
export const defaultArchiveLimits: ArchiveLimits = {
  maxUploadBytes: 500 * 1024 * 1024,
  maxExtractedBytes: 1024 * 1024 * 1024,
  maxEntries: 100_000,
  maxPathLength: 1024,
};

/**
 * Streams a gzipped tarball into a fresh directory. Every entry is checked before it is written;
 * the first bad one stops the extraction, the directory is removed, and the error names it.
 */
export class TarIntake implements SourceIntake {
  constructor(
    private readonly workDir: string,
    private readonly limits: ArchiveLimits = defaultArchiveLimits,
  ) {}

  async receive(body: AsyncIterable<Uint8Array>): Promise<SourceHandle> {
    const dir = join(this.workDir, randomUUID());
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      await this.extract(body, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { location: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  }

  private async extract(body: AsyncIterable<Uint8Array>, dir: string): Promise<void> {
    const check = new EntryCheck(this.limits);
    let rejection: DozenError | undefined;
    const unpack = new Unpack({
      cwd: dir,
      strict: true,
      preserveOwner: false,
      filter: (_path, entry) => {
        if (rejection) return false;
        const e = entry as { path: string; type: string; linkpath?: string; size?: number; mode?: number };
        const verdict = check.check(e);
        if (verdict) {
          rejection = new DozenError(verdict.limit ? 'SOURCE_TOO_LARGE' : 'SOURCE_INVALID', `The upload was refused: ${verdict.problem}.`);
          return false;
        }
        // setuid, setgid and sticky bits never survive intake
        if (typeof e.mode === 'number') e.mode &= 0o777;
        return true;
      },
    });
    let failure: unknown;
    // A corrupt stream (zlib) makes the unpacker emit 'error' and then nothing more: treat the
    // first error as the end too, after a moment for writes already under way to settle.
    const closed = new Promise<void>((resolve) => {
      unpack.on('close', () => resolve());
      unpack.on('error', (error: unknown) => {
        failure ??= error;
        setTimeout(resolve, 200).unref();
      });
    });
    let received = 0;
    for await (const chunk of body) {
      received += chunk.length;
      if (received > this.limits.maxUploadBytes) {
        rejection ??= new DozenError('SOURCE_TOO_LARGE', `The upload is larger than ${this.limits.maxUploadBytes} bytes.`);
        break;
      }
      // After a rejection the rest of the upload is read and discarded, so that the client gets
      // the answer instead of a reset connection.
      if (rejection || failure) continue;
      if (!unpack.write(Buffer.from(chunk))) await drainOrEnd(unpack);
    }
    unpack.end();
    await closed;
    if (rejection) throw rejection;
    if (failure) throw toSourceError(failure);
    if (received === 0) throw new DozenError('SOURCE_INVALID', 'The upload was empty.');
  }
}

/** Waits for room to write, or for the end: an unpacker that failed never drains. */
function drainOrEnd(unpack: Unpack): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      unpack.off('drain', done);
      unpack.off('close', done);
      unpack.off('error', done);
      resolve();
    };
    unpack.on('drain', done);
    unpack.on('close', done);
    unpack.on('error', done);
  });
}

function toSourceError(error: unknown): DozenError {
  const e = error as { code?: string; message?: string; tarCode?: string; path?: string };
  const what = e.path ? ` (entry ${JSON.stringify(e.path)})` : '';
  return new DozenError('SOURCE_INVALID', `The upload is not a valid gzipped tar archive${what}: ${e.message ?? String(error)}.`);
}
