import { open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Flushes a file's (or a directory's entries') data to the disk. */
export async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `file` whole or not at all: a temporary file, fsynced, renamed, the directory fsynced. */
export async function writeDurably(file: string, text: string): Promise<void> {
  const temp = `${file}.partial`;
  await writeFile(temp, text, { mode: 0o600 });
  await fsync(temp);
  await rename(temp, file);
  await fsync(dirname(file));
}
