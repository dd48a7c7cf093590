import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DozenClient } from '@dozen/contracts';

/** Streams a backup (with `app`: a postgres add-on's) to FILE (via FILE.partial, renamed when complete); answers its bytes. */
export async function downloadBackup(client: DozenClient, id: string, file: string, app?: string): Promise<number> {
  const partial = `${file}.partial`;
  let bytes = 0;
  const counted = async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  try {
    await pipeline(Readable.from(counted(client.downloadBackup(id, app))), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return bytes;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
