/**
 * The extraction process: reads an archive (gzipped or plain tar) on stdin, writes it into the
 * directory named in the first line, with its limits, and prints one JSON verdict line on stdout. It runs as a child of the platform so that a hostile archive that crashes or hangs
 * the tar parser takes down only this process, which the platform kills after its time limit.
 */
import { createGunzip } from 'node:zlib';
import { Unpack } from 'tar';
import { EntryCheck, type ArchiveLimits, type Verdict } from './entry-check.js';

export type ExtractResult = { ok: true; entries: number } | { ok: false; limit: boolean; message: string };

interface TarEntryLike {
  path: string;
  type: string;
  linkpath?: string;
  size?: number;
  mode?: number;
  header?: { size?: number };
}

export async function extract(input: AsyncIterable<Buffer>, dir: string, limits: ArchiveLimits): Promise<ExtractResult> {
  const check = new EntryCheck(limits);
  let rejection: Verdict | undefined;
  let entries = 0;
  const unpack = new Unpack({
    cwd: dir,
    strict: true,
    preserveOwner: false,
    // Decompression happens before, with a byte count; the parser must not sniff a second layer.
    brotli: false,
    zstd: false,
    // Links are checked by EntryCheck; nothing is ever written through one.
    filter: (_path, raw) => {
      if (rejection) return false;
      const entry = raw as unknown as TarEntryLike;
      rejection = check.check(entry) ?? undefined;
      if (rejection) return false;
      entries += 1;
      // setuid, setgid and sticky bits never survive intake
      if (typeof entry.mode === 'number') entry.mode &= 0o777;
      return true;
    },
  });
  const failure = new Promise<Error>((resolve) => unpack.on('error', (error: Error) => resolve(error)));
  const closed = new Promise<void>((resolve) => unpack.on('close', () => resolve()));
  const stream = decompressed(input, limits.maxExtractedBytes + 1024 * 1024);
  let broken: Error | undefined;
  void failure.then((error) => (broken ??= error));
  try {
    for await (const chunk of stream) {
      if (rejection || broken) break;
      if (!unpack.write(chunk)) await Promise.race([new Promise((r) => unpack.once('drain', r)), failure, closed]);
    }
  } catch (error) {
    broken ??= error as Error;
  }
  if (rejection) return refuse(rejection);
  if (broken) return { ok: false, limit: (broken as { limit?: boolean }).limit === true, message: describe(broken) };
  unpack.end();
  const ended = await Promise.race([closed.then(() => undefined), failure]);
  if (rejection) return refuse(rejection);
  if (ended) return { ok: false, limit: false, message: describe(ended) };
  if (entries === 0) return { ok: false, limit: false, message: 'The upload holds no files: it is empty or not a tar archive.' };
  return { ok: true, entries };
}

function refuse(verdict: Verdict): ExtractResult {
  return { ok: false, limit: verdict.limit === true, message: `The upload was refused: ${verdict.problem}.` };
}

function describe(error: Error): string {
  if ((error as { complete?: boolean }).complete) return error.message;
  const e = error as Error & { path?: string; code?: string };
  const what = e.path ? ` (entry ${JSON.stringify(e.path)})` : '';
  return `The upload is not a valid tar archive${what}: ${e.message}.`;
}

/** Gunzips when the input starts with the gzip magic, and stops once `max` bytes came out. */
async function* decompressed(input: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest = (async function* () {
    yield first.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const gzipped = first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  let total = 0;
  const source: AsyncIterable<Buffer> = gzipped ? gunzip(rest) : rest;
  for await (const chunk of source) {
    if (total === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
      throw Object.assign(new Error('The upload is not a tar archive: it is compressed twice.'), { complete: true });
    }
    total += chunk.length;
    if (total > max) throw Object.assign(new Error(`The upload was refused: it expands to more than ${max - 1024 * 1024} bytes (a compression bomb?).`), { limit: true, complete: true });
    yield chunk;
  }
}

async function* gunzip(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const zlib = createGunzip({ chunkSize: 64 * 1024 });
  const pump = (async () => {
    try {
      for await (const chunk of input) if (!zlib.write(chunk)) await new Promise((r) => zlib.once('drain', r));
      zlib.end();
    } catch (error) {
      zlib.destroy(error as Error);
    }
  })();
  try {
    for await (const chunk of zlib) yield chunk as Buffer;
  } catch (error) {
    throw Object.assign(new Error(`The upload is not a valid gzip stream: ${(error as Error).message}.`), { complete: true });
  }
  await pump;
}

/**
 * stdin: one JSON line `{ dir, limits }`, then the archive. After an upload the platform starts
 * the next one ahead of time (a spare, kept for SPARE_IDLE_MS), so that deploys in a row do not
 * wait for its start-up; a spare whose stdin closes before the first line exits 0.
 */
async function main(): Promise<void> {
  const iterator = (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let newline = -1;
  while (newline < 0) {
    const next = await iterator.next();
    if (next.done) process.exit(0);
    head = Buffer.concat([head, next.value]);
    newline = head.indexOf(0x0a);
  }
  const { dir, limits } = JSON.parse(head.subarray(0, newline).toString('utf8')) as { dir: string; limits: ArchiveLimits };
  const rest = head.subarray(newline + 1);
  const archive = (async function* () {
    if (rest.length > 0) yield rest;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  let result: ExtractResult;
  try {
    process.chdir(dir);
    result = await extract(archive, dir, limits);
  } catch (error) {
    result = { ok: false, limit: false, message: `The upload could not be extracted: ${(error as Error).message}.` };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void main();
