import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { tarball, type TarEntry } from '../test-support/tarball.js';
import { buildApi } from './server.js';

/**
 * Acceptance 1 of the builds issue (reliability catalogue B1-B4): a corpus of crafted archives,
 * each refused with the offending entry named, nothing written outside a fresh directory, and
 * the API serving on. Limits are small here so that bombs stay small.
 */
let root: string;
let dataDir: string;
let graph: PlatformGraph;
let api: FastifyInstance;
let token: string;
const shutdown = new AbortController();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dozen-hostile-'));
  dataDir = join(root, 'data');
  mkdirSync(join(root, 'neighbour'));
  const env = {
    DOZEN_DATA_DIR: dataDir,
    DOZEN_UPLOAD_MAX_MB: '1',
    DOZEN_SOURCE_MAX_MB: '2',
    DOZEN_SOURCE_MAX_ENTRIES: '200',
    DOZEN_SOURCE_MAX_DEPTH: '20',
    DOZEN_SOURCE_MAX_PATH_LENGTH: '300',
    DOZEN_INTAKE_TIMEOUT: '3',
    DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS,
  };
  graph = await buildGraph(parseConfig(env, process.execPath));
  api = await buildApi({ deps: graph.deps, logger: false, shutdown: shutdown.signal });
  token = readFileSync(graph.adminTokenFile, 'utf8').trim();
  await api.inject({ method: 'POST', url: '/apps', headers: auth(), payload: { name: 'target' } });
  // The platform's own note that the app was created reaches the log history on the next turn:
  // written now, so that the snapshots compare only what an upload does.
  graph.logs.flush();
});

afterAll(async () => {
  shutdown.abort();
  await api.close();
  await graph.runtime.shutdown();
  await graph.store.close();
  rmSync(root, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}` });
const upload = (body: Buffer | Readable) => api.inject({ method: 'POST', url: '/apps/target/builds', headers: { ...auth(), 'content-type': 'application/gzip' }, payload: body });

/** Every path under the test's root, with type and mode, except the store's own files. */
function snapshot(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (/^data\/dozen\.db/.test(rel)) continue;
      const stat = lstatSync(path);
      out.push(`${rel} ${stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : 'f'} ${(stat.mode & 0o7777).toString(8)}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out;
}

const pkg: TarEntry = { path: 'package.json', content: '{}' };
const many = (n: number): TarEntry[] => Array.from({ length: n }, (_, i) => ({ path: `f${i}.txt`, content: 'x' }));
const deep = (n: number) => `${Array.from({ length: n }, (_, i) => `d${i}`).join('/')}/x.txt`;
const gzipOfTar = tarball([pkg]);

// [label, archive, expected status, text the message must contain]
const corpus: [string, Buffer, number, string][] = [
  ['a ../ path', tarball([pkg, { path: '../evil', content: 'x' }]), 400, '"../evil"'],
  ['a nested ../ path', tarball([pkg, { path: 'a/../../evil', content: 'x' }]), 400, '"a/../../evil"'],
  ['an absolute path', tarball([pkg, { path: '/tmp/dozen-hostile-abs', content: 'x' }]), 400, '"/tmp/dozen-hostile-abs"'],
  ['a Windows drive path', tarball([pkg, { path: 'C:..\\evil', content: 'x' }]), 400, '"C:..\\\\evil"'],
  ['a symlink to /etc', tarball([pkg, { path: 'etc', type: '2', linkpath: '/etc' }]), 400, '"etc"'],
  ['a symlink out by ../', tarball([pkg, { path: 'up', type: '2', linkpath: '../../..' }]), 400, '"up"'],
  ['a symlink chain (link, then a file through it)', tarball([pkg, { path: 'sub', type: '5' }, { path: 'inside', type: '2', linkpath: 'sub' }, { path: 'inside/pwned', content: 'x' }]), 400, '"inside/pwned"'],
  ['a hardlink to /etc/passwd', tarball([pkg, { path: 'hard', type: '1', linkpath: '/etc/passwd' }]), 400, '"hard"'],
  ['a deep relative hardlink', tarball([pkg, { path: 'a/b/c/d/x', type: '1', linkpath: '../../../../etc/passwd' }]), 400, '"a/b/c/d/x"'],
  ['a hardlink to a file not in the archive', tarball([pkg, { path: 'h', type: '1', linkpath: 'nowhere.txt' }]), 400, '"h"'],
  ['a character device', tarball([pkg, { path: 'tty', type: '3' }]), 400, '"tty"'],
  ['a fifo', tarball([pkg, { path: 'pipe', type: '6' }]), 400, '"pipe"'],
  ['a duplicate entry', tarball([pkg, { path: 'a.js', content: '1' }, { path: './a.js', content: '2' }]), 400, '"./a.js"'],
  ['a case collision', tarball([pkg, { path: 'README', content: '1' }, { path: 'readme', content: '2' }]), 400, '"readme"'],
  ['a Unicode collision (ß / SS)', tarball([pkg, { path: 'straße.txt', content: '1' }, { path: 'STRASSE.txt', content: '2' }]), 400, '"STRASSE.txt"'],
  ['a Unicode collision (NFC / NFD)', tarball([pkg, { path: 'caf\u00e9', content: '1' }, { path: 'cafe\u0301', content: '2' }]), 400, 'collides'],
  ['a gzip bomb (one entry of 10 MB)', tarball([pkg, { path: 'zeros.bin', content: Buffer.alloc(10 * 1024 * 1024) }]), 413, '"zeros.bin"'],
  ['a gzip bomb (no tar, just zeros)', gzipSync(Buffer.alloc(40 * 1024 * 1024)), 413, 'expands to more than'],
  ['too many entries', tarball([pkg, ...many(250)]), 413, 'limit of 200 entries'],
  ['a path too deep', tarball([pkg, { path: deep(30), content: 'x' }]), 413, 'deeper than 20'],
  ['a path too long', tarball([pkg, { path: `${'a'.repeat(200)}/${'b'.repeat(200)}.txt`, content: 'x' }]), 413, 'over 300 characters'],
  ['a truncated gzip', gzipOfTar.subarray(0, Math.floor(gzipOfTar.length / 2)), 400, 'not a valid'],
  ['a bad header checksum', tarball([{ ...pkg, badChecksum: true }]), 400, 'tar'],
  ['a negative base-256 size', tarball([{ path: 'neg', rawSize: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]) }]), 400, '"neg" has an invalid size'],
  ['random bytes', randomBytes(4096), 400, 'tar'],
  ['a gzip inside a gzip', gzipSync(gzipOfTar), 400, 'compressed twice'],
  ['an upload over the size limit', randomBytes(1536 * 1024), 413, 'larger than'],
];

describe('hostile archives are refused, naming the entry, writing nothing outside a fresh directory', () => {
  it.each(corpus)('refuses %s', async (_label, archive, status, text) => {
    const before = snapshot();
    const response = await upload(archive);
    const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(response.statusCode, error.message).toBe(status);
    expect(error.code).toBe(status === 413 ? 'SOURCE_TOO_LARGE' : 'SOURCE_INVALID');
    expect(error.message).toContain(text);
    expect(snapshot()).toEqual(before);
    expect(readdirSync(join(dataDir, 'tmp', 'sources'))).toEqual([]);
    expect(existsSync('/tmp/dozen-hostile-abs')).toBe(false);
  });

  it('has a corpus of at least 15 crafted archives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
  });

  it('refuses an upload that takes longer than the intake time limit, and kills the extractor', async () => {
    const slow = Readable.from(
      (async function* () {
        const tar = tarball([pkg], { gzip: false });
        for (let i = 0; i < 40; i++) {
          yield tar.subarray(0, 10);
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
    );
    const response = await upload(slow);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.message).toMatch(/within 3 s/);
    expect(readdirSync(join(dataDir, 'tmp', 'sources'))).toEqual([]);
  });

  it('still serves, and a good archive still extracts, with setuid bits dropped and links inside kept', async () => {
    expect((await api.inject({ url: '/healthz' })).statusCode).toBe(200);
    const archive = tarball([pkg, { path: 'bin/tool', content: '#!/bin/sh\n', mode: 0o4755 }, { path: 'bin/alias', type: '2', linkpath: 'tool' }, { path: 'copy', type: '1', linkpath: 'package.json' }]);
    const source = await graph.deps.intake.receive(Readable.from([archive]));
    try {
      expect(statSync(join(source.location, 'bin', 'tool')).mode & 0o7777).toBe(0o755);
      expect(lstatSync(join(source.location, 'bin', 'alias')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(source.location, 'copy'), 'utf8')).toBe('{}');
    } finally {
      await source.dispose();
    }
  });
});
