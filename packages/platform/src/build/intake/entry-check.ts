import { posix } from 'node:path';

export interface EntryLike {
  path: string;
  type: string;
  linkpath?: string | undefined;
  size?: number | undefined;
}

export interface ArchiveLimits {
  /** Bytes of the upload as sent (compressed). */
  maxUploadBytes: number;
  /** Bytes of all files once extracted. */
  maxExtractedBytes: number;
  maxEntries: number;
  maxPathLength: number;
}

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/**
 * Tracks the entries of one archive and names the first one that must not be extracted:
 * anything that would land outside the fresh directory, links that leave the tree, special
 * files, and two entries that would collide on disk.
 */
export class EntryCheck {
  private readonly seen = new Map<string, string>();
  private entries = 0;
  private bytes = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  /** Returns a problem description, or null when the entry is fine. */
  check(entry: EntryLike): { problem: string; limit?: boolean } | null {
    const name = JSON.stringify(entry.path);
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) return { problem: `the archive has more than ${this.limits.maxEntries} entries`, limit: true };
    if (entry.path.length > this.limits.maxPathLength) return { problem: `entry ${name.slice(0, 80)}... has a path over ${this.limits.maxPathLength} characters` };
    if (!ALLOWED_TYPES.has(entry.type)) return { problem: `entry ${name} is a ${entry.type}; only files, directories and links are accepted` };
    const path = checkPath(entry.path);
    if (!path.ok) return { problem: `entry ${name} ${path.reason}` };
    if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      const target = entry.linkpath ?? '';
      const resolved = entry.type === 'Link' ? target : posix.join(posix.dirname(path.normal), target);
      if (target === '' || posix.isAbsolute(target) || /^[a-zA-Z]:/.test(target) || target.includes('\\') || escapes(posix.normalize(resolved))) {
        return { problem: `entry ${name} links to ${JSON.stringify(target)}, outside the app directory` };
      }
    }
    const key = path.normal.normalize('NFC').toLowerCase();
    const previous = this.seen.get(key);
    if (previous !== undefined && !(entry.type === 'Directory' && previous === 'Directory')) {
      return { problem: `entry ${name} collides with another entry of the same name` };
    }
    this.seen.set(key, entry.type);
    this.bytes += entry.size ?? 0;
    if (this.bytes > this.limits.maxExtractedBytes) {
      return { problem: `the archive expands to more than ${this.limits.maxExtractedBytes} bytes`, limit: true };
    }
    return null;
  }
}

function checkPath(raw: string): { ok: true; normal: string } | { ok: false; reason: string } {
  if (raw.includes('\u0000')) return { ok: false, reason: 'contains a NUL byte' };
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw) || raw.includes('\\')) return { ok: false, reason: 'has an absolute or Windows path' };
  if (raw.split('/').includes('..')) return { ok: false, reason: 'has a `..` segment' };
  const normal = posix.normalize(raw).replace(/\/+$/, '');
  if (escapes(normal)) return { ok: false, reason: 'points outside the app directory' };
  return { ok: true, normal: normal === '' ? '.' : normal };
}

function escapes(normal: string): boolean {
  return normal === '..' || normal.startsWith('../') || posix.isAbsolute(normal);
}
