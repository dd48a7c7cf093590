import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirLayout, slugPath } from '@dozen/contracts/node';
import { digestTree } from '../build/slug-digest.js';
import { packDirectory } from '../kubernetes/slug-archives.js';
import { ArtefactClient } from './artefact-client.js';
import { ensureSlug, slugArtefact } from './slug-transfer.js';

const root = mkdtempSync(join(tmpdir(), 'dozen-slug-transfer-'));
const builderHost = dataDirLayout(join(root, 'builder'));
const owner = { uid: 4321, gid: 4321 };
const isRoot = process.getuid?.() === 0;
/** What the api serves: name -> archive file; `lie` announces another sha256. */
const served = new Map<string, string>();
let requests = 0;
let lie = false;
let server: Server;
let client: ArtefactClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    const file = served.get(decodeURIComponent((request.url ?? '').replace('/internal/artefacts/', '')));
    if (!file || request.headers.authorization !== 'Bearer token') return void response.writeHead(404).end('{}');
    const data = readFileSync(file);
    const sha256 = createHash('sha256').update(lie ? 'other' : data).digest('hex');
    response.writeHead(200, { 'x-dozen-sha256': sha256 }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new ArtefactClient([`http://127.0.0.1:${(server.address() as { port: number }).port}`], 'token');
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A slug as the sandboxed builder leaves it: a 0700 directory owned by the app's user, modes as built. */
async function builtSlug(slugId: string): Promise<string> {
  const dir = slugPath(builderHost, 'app-1', slugId);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'server.js'), 'console.log(1)\n', { mode: 0o644 });
  writeFileSync(join(dir, 'bin', 'start'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dir, '.secret-ish'), 'x', { mode: 0o600 });
  symlinkSync('server.js', join(dir, 'link.js'));
  chmodSync(dir, 0o700);
  const archive = join(root, `${slugId}.tar.gz`);
  await packDirectory(dir, archive);
  served.set(slugArtefact('app-1', slugId), archive);
  return dir;
}

describe('a slug moved between hosts as an artefact', () => {
  it('unpacks into place with the builder\'s modes and the app user\'s ownership, the same tree by digest, once for concurrent calls', async () => {
    const built = await builtSlug('s1');
    const runtimeHost = dataDirLayout(join(root, 'runtime'));
    const before = requests;
    const results = await Promise.all([1, 2, 3].map(() => ensureSlug({ client, layout: runtimeHost, appId: 'app-1', slugId: 's1', owner })));
    expect(results.sort()).toEqual(['fetched', 'fetched', 'fetched']);
    expect(requests - before).toBe(1);
    const slug = slugPath(runtimeHost, 'app-1', 's1');
    expect((await digestTree(slug)).digest).toBe((await digestTree(built)).digest);
    const mode = (path: string) => lstatSync(join(slug, path)).mode & 0o7777;
    expect(mode('')).toBe(0o700);
    expect(mode('bin/start')).toBe(0o755);
    expect(mode('server.js')).toBe(0o644);
    expect(mode('.secret-ish')).toBe(0o600);
    expect(lstatSync(dirname(slug)).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(slug, 'link.js'))).toBe('server.js');
    if (isRoot) for (const path of ['', 'bin', 'bin/start', 'link.js']) expect(lstatSync(join(slug, path)), path).toMatchObject(owner);
    expect(await ensureSlug({ client, layout: runtimeHost, appId: 'app-1', slugId: 's1', owner })).toBe('present');
    expect(requests - before).toBe(1);
  });

  it('leaves nothing in place when the digest does not match (no slug, no partial files)', async () => {
    await builtSlug('s2');
    const runtimeHost = dataDirLayout(join(root, 'runtime-2'));
    lie = true;
    try {
      await expect(ensureSlug({ client, layout: runtimeHost, appId: 'app-1', slugId: 's2', owner: null })).rejects.toMatchObject({ code: 'ARTEFACT_DIGEST_MISMATCH' });
    } finally {
      lie = false;
    }
    expect(readdirSync(join(runtimeHost.slugs, 'app-1'))).toEqual([]);
    await expect(ensureSlug({ client, layout: runtimeHost, appId: 'app-1', slugId: 'none', owner: null })).rejects.toMatchObject({ code: 'CLUSTER_API_UNREACHABLE' });
  });

  it('drops setuid, setgid and sticky bits when it unpacks', async () => {
    const dir = slugPath(builderHost, 'app-1', 's3');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'suid'), '#!/bin/sh\n');
    chmodSync(join(dir, 'suid'), 0o6755);
    mkdirSync(join(dir, 'tmp'));
    chmodSync(join(dir, 'tmp'), 0o1777);
    expect(lstatSync(join(dir, 'suid')).mode & 0o7777).toBe(0o6755);
    const archive = join(root, 's3.tar.gz');
    await packDirectory(dir, archive);
    served.set(slugArtefact('app-1', 's3'), archive);
    const runtimeHost = dataDirLayout(join(root, 'runtime-3'));
    expect(await ensureSlug({ client, layout: runtimeHost, appId: 'app-1', slugId: 's3', owner: null })).toBe('fetched');
    const slug = slugPath(runtimeHost, 'app-1', 's3');
    expect(lstatSync(join(slug, 'suid')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(slug, 'tmp')).mode & 0o7000).toBe(0);
  });

  it('refuses an app or slug id that is not one path segment before it touches the disk', async () => {
    const runtimeHost = dataDirLayout(join(root, 'runtime-4'));
    const before = requests;
    for (const [appId, slugId] of [['..', 's1'], ['app-1', '../../x'], ['app-1/..', 's1'], ['app-1', '']]) {
      await expect(ensureSlug({ client, layout: runtimeHost, appId: appId as string, slugId: slugId as string, owner: null }), `${appId} ${slugId}`).rejects.toMatchObject({ code: 'ARTEFACT_NOT_FOUND' });
    }
    expect(requests).toBe(before);
    expect(existsSync(runtimeHost.slugs)).toBe(false);
  });
});
