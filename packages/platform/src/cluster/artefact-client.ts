import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DozenError, isErrorCode } from '@dozen/contracts/errors';

/**
 * The builder and runtime roles' client of the api's artefact routes (issue 19), over the api
 * URLs of DOZEN_API_URLS: a connection error goes on to the next URL, in order. What it downloads
 * is checked against the sha256 the api announces and lands in its file whole (renamed in), or not
 * at all. Node's fetch (undici) with streamed bodies: an artefact is never whole in memory.
 */
export class ArtefactClient {
  constructor(
    private readonly apiUrls: readonly string[],
    private readonly clusterToken: string,
  ) {
    if (apiUrls.length === 0) throw new Error('ArtefactClient needs at least one api URL (DOZEN_API_URLS)');
  }

  /** Downloads `name` into `file` (atomically), checking its sha256; answers it and the size. */
  async download(name: string, file: string): Promise<{ sha256: string; sizeBytes: number }> {
    const response = await this.request(name, () => ({ method: 'GET' }));
    const announced = response.headers.get('x-dozen-sha256') ?? '';
    const partial = `${file}.partial-${process.pid}`;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const hash = createHash('sha256');
    let sizeBytes = 0;
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          yield chunk;
        }
      }, createWriteStream(partial, { mode: 0o600 }));
      const sha256 = hash.digest('hex');
      if (sha256 !== announced) throw new DozenError('ARTEFACT_DIGEST_MISMATCH', `Artefact ${name} was refused: its sha256 is ${sha256}, not ${announced || '(none announced)'} as the api said (${sizeBytes} bytes received).`);
      await rename(partial, file);
      return { sha256, sizeBytes };
    } finally {
      await rm(partial, { force: true });
    }
  }

  /** Uploads `file` as `name`; the api checks it against its sha256 (computed here first). */
  async upload(name: string, file: string): Promise<{ sha256: string; sizeBytes: number }> {
    const sha256 = await fileSha256(file);
    const { size } = await stat(file);
    await this.request(name, () => ({
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'x-dozen-sha256': sha256 },
      body: Readable.toWeb(createReadStream(file)) as unknown as RequestInit['body'],
      duplex: 'half',
    }));
    return { sha256, sizeBytes: size };
  }

  /** The first api that answers; its error (a DozenError) when it refuses; the next one on a connection error. */
  private async request(name: string, init: () => RequestInit & { duplex?: 'half' }): Promise<Response> {
    const failures: string[] = [];
    for (const base of this.apiUrls) {
      const made = init();
      let response: Response;
      try {
        response = await fetch(`${base.replace(/\/+$/, '')}/internal/artefacts/${name}`, { ...made, headers: { ...(made.headers as Record<string, string> | undefined), authorization: `Bearer ${this.clusterToken}` } });
      } catch (error) {
        failures.push(`${base}: ${causeOf(error)}`);
        continue;
      }
      if (response.ok) return response;
      throw await refusal(response, name);
    }
    throw new DozenError('CLUSTER_API_UNREACHABLE', `No api answered for artefact ${name}: ${failures.join('; ')}.`);
  }
}

async function refusal(response: Response, name: string): Promise<DozenError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; hint?: string } };
  const code = body.error?.code;
  if (isErrorCode(code)) return new DozenError(code, body.error?.message ?? `The api refused artefact ${name}.`, body.error?.hint === undefined ? {} : { hint: body.error.hint });
  return new DozenError('CLUSTER_API_UNREACHABLE', `The api answered ${response.status} for artefact ${name}.`);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
