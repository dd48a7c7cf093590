import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DozenError } from '@dozen/contracts/errors';

/** The format of the archives this platform writes; a restore refuses any other. */
export const BACKUP_FORMAT = 1;
export const MANIFEST_NAME = 'manifest.json';

export interface ManifestEntry {
  /** Relative to the archive's root, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
  /** A symbolic link: `bytes` and `sha256` are its target's text. */
  link?: boolean;
}

/** `manifest.json`, the archive's first entry: what the rest must be, byte for byte. */
export interface BackupManifest {
  format: number;
  id: string;
  createdAt: string;
  platformVersion: string;
  /** The store's last migration: a restore onto an older platform is refused. */
  schemaVersion: string;
  scheduled: boolean;
  withCaches: boolean;
  apps: { name: string; currentRelease: number | null; slugs: number }[];
  entries: ManifestEntry[];
}

/** The sha256 and size of one file, streamed. */
export function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path)
      .on('data', (chunk: string | Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
  });
}

function invalid(archive: string, why: string): DozenError {
  return new DozenError('BACKUP_ARCHIVE_INVALID', `The backup archive ${archive} is not usable: ${why}. Nothing was changed.`);
}

/** The manifest's own shape, read from its text; anything else is refused. */
export function parseManifest(archive: string, text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(archive, `${MANIFEST_NAME} is not JSON`);
  }
  const manifest = value as Partial<BackupManifest>;
  if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.entries)) throw invalid(archive, `${MANIFEST_NAME} lists no entries`);
  if (manifest.format !== BACKUP_FORMAT) throw invalid(archive, `its format is ${String(manifest.format)}, this platform reads format ${BACKUP_FORMAT}`);
  for (const entry of manifest.entries) {
    const ok = typeof entry?.path === 'string' && safePath(entry.path) && Number.isSafeInteger(entry.bytes) && entry.bytes >= 0 && /^[0-9a-f]{64}$/.test(String(entry.sha256));
    if (!ok) throw invalid(archive, `${MANIFEST_NAME} has a malformed entry ${JSON.stringify(entry?.path ?? entry)}`);
  }
  if (typeof manifest.schemaVersion !== 'string' || typeof manifest.id !== 'string') throw invalid(archive, `${MANIFEST_NAME} names no schema version or id`);
  return manifest as BackupManifest;
}

/** Relative, normalised, inside the archive. */
export function safePath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * The files found in the archive (path -> size and sha256, as read) against the manifest: every
 * listed file present with its size and digest, nothing unlisted. Throws the first difference.
 */
export function verifyEntries(archive: string, manifest: BackupManifest, found: ReadonlyMap<string, { bytes: number; sha256: string; link?: boolean }>): void {
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    listed.add(entry.path);
    const file = found.get(entry.path);
    if (file === undefined) throw invalid(archive, `${entry.path} is missing (the archive is truncated or incomplete)`);
    if (file.bytes !== entry.bytes) throw invalid(archive, `${entry.path} has ${file.bytes} bytes, the manifest says ${entry.bytes}`);
    if (Boolean(file.link) !== Boolean(entry.link)) throw invalid(archive, `${entry.path} is ${file.link ? 'a link' : 'a file'}, the manifest says otherwise`);
    if (file.sha256 !== entry.sha256) throw invalid(archive, `${entry.path} does not match its sha256 in the manifest (the archive is corrupt)`);
  }
  for (const path of found.keys()) if (!listed.has(path)) throw invalid(archive, `${path} is not in the manifest`);
}

/** The refusal of an archive that is cut short or whose gzip or tar framing is broken. */
export function unreadable(archive: string, error: unknown): DozenError {
  return invalid(archive, `it cannot be read to the end (${(error as Error).message})`);
}
