import { posix } from 'node:path';

export interface EntryLike {
  path: string;
  type: string;
  linkpath?: string | undefined;
  size?: number | undefined;
  /** The parsed header, when the parser gives it: a size it could not read is undefined there. */
  header?: { size?: number | undefined } | undefined;
}

export interface ArchiveLimits {
  /** Bytes of the upload as sent (compressed). */
  maxUploadBytes: number;
  /** Bytes of the archive once decompressed (a gzip bomb stops here). */
  maxExtractedBytes: number;
  maxEntries: number;
  maxPathLength: number;
  /** Path segments: `a/b/c` is 3. */
  maxPathDepth: number;
  /** The whole extraction, upload included. */
  timeoutMs: number;
}

export interface Verdict {
  problem: string;
  /** A limit was crossed (413) rather than an entry refused (400). */
  limit?: boolean;
}

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Tracks the entries of one archive and names the first one that must not be extracted:
 * anything that would land outside the fresh directory, links that leave the tree, entries
 * under a link (a two-step escape), special files, and two entries that would collide on disk
 * (also on a case-insensitive or Unicode-normalising filesystem).
 */
export class EntryCheck {
  private readonly seen = new Map<string, string>();
  private readonly links = new Set<string>();
  private readonly files = new Set<string>();
  private entries = 0;
  private bytes = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  /** Returns a problem description, or null when the entry is fine. */
  check(entry: EntryLike): Verdict | null {
    const name = JSON.stringify(entry.path.length > 120 ? `${entry.path.slice(0, 117)}...` : entry.path);
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) return { problem: `entry ${name} is one more than the limit of ${this.limits.maxEntries} entries`, limit: true };
    if (entry.path.length > this.limits.maxPathLength) return { problem: `entry ${name} has a path over ${this.limits.maxPathLength} characters`, limit: true };
    if (!ALLOWED_TYPES.has(entry.type)) return { problem: `entry ${name} is a ${entry.type}; only files, directories and links are accepted` };
    const size = entry.header ? entry.header.size : entry.size;
    if (size === undefined || !Number.isSafeInteger(size) || size < 0) return { problem: `entry ${name} has an invalid size field` };
    const path = checkPath(entry.path);
    if (!path.ok) return { problem: `entry ${name} ${path.reason}` };
    if (path.normal.split('/').length > this.limits.maxPathDepth) return { problem: `entry ${name} is nested deeper than ${this.limits.maxPathDepth} directories`, limit: true };
    const under = this.underLink(path.normal);
    if (under) return { problem: `entry ${name} lies under the link ${JSON.stringify(under)}; links may not be extracted through` };
    const link = this.checkLink(entry, path.normal);
    if (link) return { problem: `entry ${name} ${link}` };
    const key = foldCase(path.normal);
    const previous = this.seen.get(key);
    if (previous !== undefined && !(entry.type === 'Directory' && previous === 'Directory')) {
      return { problem: `entry ${name} collides with another entry of the same name (${JSON.stringify(key)} once case and Unicode are folded)` };
    }
    this.seen.set(key, entry.type);
    if (entry.type === 'SymbolicLink') this.links.add(path.normal);
    if (FILE_TYPES.has(entry.type)) this.files.add(path.normal);
    this.bytes += entry.size ?? 0;
    if (this.bytes > this.limits.maxExtractedBytes) return { problem: `entry ${name} takes the archive over ${this.limits.maxExtractedBytes} bytes`, limit: true };
    return null;
  }

  private underLink(normal: string): string | null {
    const parts = normal.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.links.has(prefix)) return prefix;
    }
    return null;
  }

  /** Symlinks must resolve inside the tree; hardlinks must name a file extracted before them. */
  private checkLink(entry: EntryLike, normal: string): string | null {
    if (entry.type !== 'SymbolicLink' && entry.type !== 'Link') return null;
    const target = entry.linkpath ?? '';
    const shown = JSON.stringify(target);
    if (target === '' || target.includes('\u0000') || posix.isAbsolute(target) || /^[a-zA-Z]:/.test(target) || target.includes('\\')) {
      return `links to ${shown}, outside the app directory`;
    }
    if (entry.type === 'Link') {
      const resolved = posix.normalize(target).replace(/\/+$/, '');
      if (escapes(resolved) || !this.files.has(resolved)) return `is a hard link to ${shown}, which is not a file earlier in the archive`;
      return null;
    }
    if (escapes(posix.normalize(posix.join(posix.dirname(normal), target)))) return `links to ${shown}, outside the app directory`;
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

/** Full case folding, near enough: upper then lower maps `ß` to `ss`; NFKC folds look-alike forms. */
function foldCase(path: string): string {
  return path.normalize('NFKC').toUpperCase().toLowerCase();
}
