import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DozenError } from '@dozen/contracts/errors';
import type { SourceHandle, SourceIntake } from '../../core/ports/build.js';
import type { ArchiveLimits } from './entry-check.js';
import type { ExtractResult } from './extract-child.js';

/** Limits like Heroku's: 500 MB upload, 1 GB checkout. */
export const defaultArchiveLimits: ArchiveLimits = {
  maxUploadBytes: 500 * 1024 * 1024,
  maxExtractedBytes: 1024 * 1024 * 1024,
  maxEntries: 100_000,
  maxPathLength: 1024,
  maxPathDepth: 64,
  timeoutMs: 300_000,
};

/**
 * How long a spare extractor waits for the next upload before it is ended: deploys in a row skip
 * the extractor's start-up (about 40 ms), an idle platform keeps no extra process (about 40 MB).
 */
export const SPARE_IDLE_MS = 10_000;

/**
 * Streams an uploaded archive into a fresh directory. The extraction runs in a child process
 * (extract-child.ts) with a time limit: a crafted archive that crashes or hangs the tar parser
 * ends that child, never the platform. Every entry is checked before it is written; the first
 * bad one stops the extraction, the directory is removed, and the error names the entry.
 */
export class TarIntake implements SourceIntake {
  /** An extractor started after an upload for the next one, waiting for its first line. */
  private spare: ChildProcessWithoutNullStreams | null = null;
  private spareTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly workDir: string,
    private readonly limits: ArchiveLimits = defaultArchiveLimits,
    private readonly nodePath: string = process.execPath,
    private readonly spareIdleMs: number = SPARE_IDLE_MS,
  ) {}

  async receive(body: AsyncIterable<Uint8Array>): Promise<SourceHandle> {
    const dir = join(this.workDir, randomUUID());
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let result: ExtractResult;
    try {
      result = await this.extract(body, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    if (!result.ok) {
      await rm(dir, { recursive: true, force: true });
      throw new DozenError(result.limit ? 'SOURCE_TOO_LARGE' : 'SOURCE_INVALID', result.message);
    }
    return { location: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  }

  /** Takes the spare extractor (or starts one) and starts the next spare, kept for a short idle. */
  private extractor(): ChildProcessWithoutNullStreams {
    const child = this.takeSpare() ?? this.startExtractor();
    if (this.spareIdleMs > 0) {
      const next = this.startExtractor();
      this.spare = next;
      // Unused for a while: its stdin closes, and before its first line it exits, having done nothing.
      this.spareTimer = setTimeout(() => this.takeSpare()?.stdin.end(), this.spareIdleMs).unref();
    }
    holdsLoop(child, true);
    return child;
  }

  /** The spare, if it is still alive; either way none is kept any more. */
  private takeSpare(): ChildProcessWithoutNullStreams | null {
    const spare = this.spare;
    this.spare = null;
    if (this.spareTimer) clearTimeout(this.spareTimer);
    this.spareTimer = null;
    return spare && spare.exitCode === null && spare.signalCode === null ? spare : null;
  }

  private startExtractor(): ChildProcessWithoutNullStreams {
    const child = spawn(this.nodePath, [extractorScript()], { cwd: this.workDir, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    // A spare never keeps the platform alive; it exits when its stdin closes.
    holdsLoop(child, false);
    return child;
  }

  private extract(body: AsyncIterable<Uint8Array>, dir: string): Promise<ExtractResult> {
    const limits = this.limits;
    const child = this.extractor();
    child.stdin.write(`${JSON.stringify({ dir, limits })}\n`);
    let verdict = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (verdict += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs);
    const exited = new Promise<ExtractResult>((resolve) => {
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) return resolve({ ok: false, limit: false, message: `The upload could not be extracted within ${Math.round(limits.timeoutMs / 1000)} s.` });
        const line = verdict.trim().split('\n').pop() ?? '';
        try {
          if (line) return resolve(JSON.parse(line) as ExtractResult);
        } catch {
          // fall through: the extractor died before it could answer
        }
        resolve({ ok: false, limit: false, message: `The archive could not be read: the extractor ended with ${code === null ? `signal ${signal}` : `exit code ${code}`} (${errors.trim().split('\n').pop() ?? 'no message'}).` });
      });
    });
    return this.feed(body, child.stdin, exited, () => child.kill('SIGKILL')).then(() => exited);
  }

  /**
   * Pipes the upload into the extractor, counting bytes. Once the extractor has answered (or the
   * limit is crossed) the rest of the upload is read and discarded, so that the client gets the
   * answer instead of a reset connection.
   */
  private async feed(body: AsyncIterable<Uint8Array>, stdin: NodeJS.WritableStream, exited: Promise<ExtractResult>, kill: () => void): Promise<void> {
    let received = 0;
    let done = false;
    void exited.then(() => (done = true));
    let tooLarge: DozenError | undefined;
    for await (const chunk of body) {
      received += chunk.length;
      if (received > this.limits.maxUploadBytes && !tooLarge) {
        tooLarge = new DozenError('SOURCE_TOO_LARGE', `The upload was refused: it is larger than ${this.limits.maxUploadBytes} bytes.`);
        kill();
      }
      if (done || tooLarge) continue;
      if (!stdin.write(chunk)) await Promise.race([new Promise((r) => stdin.once('drain', r)), exited]);
    }
    stdin.end();
    if (tooLarge) {
      await exited;
      throw tooLarge;
    }
    if (received === 0) {
      kill();
      await exited;
      throw new DozenError('SOURCE_INVALID', 'The upload was empty.');
    }
  }
}

/** Whether the child and its pipes keep the event loop alive (the pipes are sockets). */
function holdsLoop(child: ChildProcessWithoutNullStreams, hold: boolean): void {
  if (hold) child.ref();
  else child.unref();
  for (const pipe of [child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[]) {
    if (hold) pipe.ref?.();
    else pipe.unref?.();
  }
}

/** The compiled extractor. Under the test runner this module is the .ts source: use dist/. */
function extractorScript(): string {
  const here = fileURLToPath(new URL('./extract-child.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(/\/src\/build\/intake\/extract-child\.js$/, '/dist/build/intake/extract-child.js');
}
