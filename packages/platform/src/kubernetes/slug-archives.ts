import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { ServedSlug, SlugDownloads } from '../shared-ports/slug-downloads.js';
import { mintSlugToken, slugOfToken } from './slug-token.js';

/** A slug as one archive: what GET /slugs/:id serves and what the init container checks. */
interface SlugArchive {
  file: string;
  sha256: string;
  bytes: number;
}

/**
 * The slugs as tar.gz archives, made once per slug and kept (content-addressed by their sha256,
 * which the manifests carry), so that every pod of a release fetches the same bytes.
 */
export class SlugArchives implements SlugDownloads {
  private readonly making = new Map<string, Promise<SlugArchive>>();

  /** `key`: of the slug tokens (slug-token.ts). */
  constructor(
    private readonly slugsDir: string,
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  slugOfToken(token: string): string | null {
    return slugOfToken(this.key, token);
  }

  /** A token that opens slug `slugId` only. */
  tokenFor(slugId: string): string {
    return mintSlugToken(this.key, slugId);
  }

  async archive(appId: string, slugId: string): Promise<ServedSlug> {
    let made = this.read(slugId);
    if (!made) {
      let pending = this.making.get(slugId);
      if (!pending) {
        pending = this.make(appId, slugId).finally(() => this.making.delete(slugId));
        this.making.set(slugId, pending);
      }
      made = await pending;
    }
    const { file, sha256, bytes } = made;
    return { sha256, bytes, open: () => createReadStream(file) };
  }

  private read(slugId: string): SlugArchive | null {
    const file = join(this.dir, `${slugId}.tar.gz`);
    const sums = join(this.dir, `${slugId}.sha256`);
    if (!existsSync(sums)) return null;
    return { file, sha256: readFileSync(sums, 'utf8').trim(), bytes: statSync(file).size };
  }

  private async make(appId: string, slugId: string): Promise<SlugArchive> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${slugId}.tar.gz`);
    const { sha256, bytes } = await packDirectory(join(this.slugsDir, appId, slugId), file);
    // The digest last: an archive without its digest file is made again.
    writeFileSync(join(this.dir, `${slugId}.sha256`), `${sha256}\n`, { mode: 0o600 });
    return { file, sha256, bytes };
  }
}

/**
 * A directory as one portable tar.gz at `file` (written beside it and renamed in), and its sha256:
 * the slugs of a cluster's init containers, and the roles' artefacts (cluster/slug-transfer.ts).
 */
export async function packDirectory(source: string, file: string): Promise<{ sha256: string; bytes: number }> {
  const partial = `${file}.partial`;
  const hash = createHash('sha256');
  // Loaded on first use: most platforms never serve a slug (docs/decisions.md, "Idle memory").
  const { create } = await import('tar');
  await pipeline(create({ cwd: source, gzip: true, portable: true }, ['.']), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }, createWriteStream(partial, { mode: 0o600 }));
  renameSync(partial, file);
  return { sha256: hash.digest('hex'), bytes: statSync(file).size };
}
