import { describe, expect, it } from 'vitest';
import { BACKUP_FORMAT, parseManifest, safePath, verifyEntries, type BackupManifest } from './manifest.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const manifest: BackupManifest = {
  format: BACKUP_FORMAT,
  id: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  platformVersion: '0.1.0',
  schemaVersion: '014-acme',
  scheduled: false,
  withCaches: false,
  apps: [],
  entries: [
    { path: 'store/dozen.db', bytes: 10, sha256: A },
    { path: 'slugs/app/slug/server.js', bytes: 3, sha256: B },
  ],
};

const found = (entries: [string, number, string][]) => new Map(entries.map(([path, bytes, sha256]) => [path, { bytes, sha256 }]));

describe('verifying an archive against its manifest', () => {
  it('accepts exactly the listed files with their sizes and digests', () => {
    expect(() => verifyEntries('f', manifest, found([['store/dozen.db', 10, A], ['slugs/app/slug/server.js', 3, B]]))).not.toThrow();
  });

  it('refuses a missing file (truncated), a wrong size, a wrong digest, an unlisted file', () => {
    const cases: [Map<string, { bytes: number; sha256: string }>, RegExp][] = [
      [found([['store/dozen.db', 10, A]]), /server\.js is missing/],
      [found([['store/dozen.db', 11, A], ['slugs/app/slug/server.js', 3, B]]), /dozen\.db has 11 bytes, the manifest says 10/],
      [found([['store/dozen.db', 10, B], ['slugs/app/slug/server.js', 3, B]]), /dozen\.db does not match its sha256/],
      [found([['store/dozen.db', 10, A], ['slugs/app/slug/server.js', 3, B], ['extra', 1, A]]), /extra is not in the manifest/],
    ];
    for (const [files, message] of cases) {
      expect(() => verifyEntries('f.tar.gz', manifest, files)).toThrow(message);
      try {
        verifyEntries('f.tar.gz', manifest, files);
      } catch (error) {
        expect((error as { code: string }).code).toBe('BACKUP_ARCHIVE_INVALID');
      }
    }
  });
});

describe('reading a manifest', () => {
  it('reads its own kind', () => {
    expect(parseManifest('f', JSON.stringify(manifest))).toEqual(manifest);
  });

  it('refuses other formats, unsafe paths, malformed entries and non-JSON', () => {
    expect(() => parseManifest('f', '{"format":1')).toThrow(/not JSON/);
    expect(() => parseManifest('f', JSON.stringify({ ...manifest, format: 2 }))).toThrow(/format is 2/);
    expect(() => parseManifest('f', JSON.stringify({ ...manifest, entries: [{ path: '../etc/passwd', bytes: 1, sha256: A }] }))).toThrow(/malformed entry/);
    expect(() => parseManifest('f', JSON.stringify({ ...manifest, entries: [{ path: 'x', bytes: -1, sha256: A }] }))).toThrow(/malformed entry/);
    expect(() => parseManifest('f', JSON.stringify({ ...manifest, entries: [{ path: 'x', bytes: 1, sha256: 'nope' }] }))).toThrow(/malformed entry/);
  });

  it('knows a safe path', () => {
    expect(safePath('a/b')).toBe(true);
    for (const bad of ['', '/a', 'a/../b', './a', 'a//b']) expect(safePath(bad), bad).toBe(false);
  });
});
