import { describe, expect, it } from 'vitest';
import { parseCgiHead } from './cgi-head.js';
import { parseHookMessage } from './push-hooks.js';
import { parseLsTree, unsupportedEntry } from './tree-check.js';

describe('CGI head', () => {
  it('parses Status and headers up to the blank line, CRLF or LF, and keeps the body start', () => {
    const crlf = Buffer.from('Status: 404 Not Found\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nbody');
    const head = parseCgiHead(crlf);
    expect(head).toEqual({ status: 404, headers: { 'content-type': 'text/plain' }, bodyStart: crlf.length - 4 });
    const lf = Buffer.from('Content-Type: application/x-git-upload-pack-advertisement\nCache-Control: no-cache\n\n001e');
    expect(parseCgiHead(lf)).toMatchObject({ status: 200, headers: { 'cache-control': 'no-cache' }, bodyStart: lf.length - 4 });
  });

  it('waits for more when the head is incomplete', () => {
    expect(parseCgiHead(Buffer.from('Content-Type: text/plain\r\n'))).toBeNull();
  });
});

describe('ls-tree check: what is never deployed from a pushed tree', () => {
  const tree = (...lines: string[]) => parseLsTree(Buffer.from(lines.map((l) => `${l}\0`).join('')));

  it('accepts an ordinary tree', () => {
    expect(unsupportedEntry(tree('100644 blob aaaa\tpackage.json', '040000 tree bbbb\tsrc', '100755 blob cccc\tsrc/a b.js'))).toBeNull();
  });

  it('names a submodule, a .gitmodules file and any .git directory', () => {
    expect(unsupportedEntry(tree('100644 blob aaaa\t.gitmodules', '160000 commit aaaa\tvendor/lib'))).toBe('"vendor/lib" is a submodule');
    expect(unsupportedEntry(tree('100644 blob aaaa\t.gitmodules'))).toMatch(/\.gitmodules/);
    expect(unsupportedEntry(tree('100644 blob aaaa\tsub/.GIT/config'))).toBe('"sub/.GIT/config" is inside a .git directory');
    expect(unsupportedEntry(tree('100644 blob aaaa\tdocs/.gitmodules', '100644 blob aaaa\t.github/x'))).toBeNull();
  });
});

describe('hook message', () => {
  const A = 'a'.repeat(40);
  const Z = '0'.repeat(40);

  it('reads the ref updates git gave the hook', () => {
    const message = parseHookMessage(JSON.stringify({ updates: `${Z} ${A} refs/heads/main\n${A} ${Z} refs/heads/old\n`, quarantine: '/r/objects/tmp_objdir-incoming-x' }));
    expect(message.updates).toEqual([
      { oldCommit: Z, newCommit: A, ref: 'refs/heads/main' },
      { oldCommit: A, newCommit: Z, ref: 'refs/heads/old' },
    ]);
    expect(message.quarantine).toBe('/r/objects/tmp_objdir-incoming-x');
  });

  it('refuses lines git would not write', () => {
    expect(() => parseHookMessage(JSON.stringify({ updates: 'x y refs/heads/main\n' }))).toThrow(/would not write/);
    expect(() => parseHookMessage(JSON.stringify({}))).toThrow(/no ref updates/);
  });
});
