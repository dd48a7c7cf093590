import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, gitIn, slowBuild, type Git } from './support/git.js';
import { basicAuth, pkt, rawRequest, receivePackBody, FLUSH } from './support/git-wire.js';
import { eventually, TestPlatform } from './support/platform.js';

interface WireBuild {
  id: string;
  status: string;
  commit: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Issue 7 acceptance 3: every bad input of a git push, with the real git client (and raw HTTP where git refuses to send it). */
describe('git push: bad input and concurrency', () => {
  let platform: TestPlatform;
  let token: string;
  let git: Git;
  let repo: string;
  let base: string;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-git-bad-'));
  const dozen = async (args: string[], cwd?: string) => {
    const result = await platform.cli(args, cwd ? { cwd } : {});
    expect(result.code, `dozen ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const builds = async (app: string) => JSON.parse(await dozen(['builds', '-a', app, '--json'])) as WireBuild[];
  const remoteRefs = async (g: Git = git) => (await g.ok(['ls-remote', 'dozen'])).trim();
  const repoDir = async (app: string) => {
    const info = JSON.parse(await dozen(['apps:info', '-a', app, '--json'])) as { app: { id: string } };
    return join(platform.dataDir, 'git', 'repos', `${info.app.id}.git`);
  };
  const newClone = async (app: string, name: string) => {
    const dir = join(scratch, name);
    const clone = await exampleRepo(platform, dir);
    await dozen(['git:remote', '-a', app], dir);
    return { dir, git: clone };
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_GIT_MAX_PUSH_MB: '1' });
    token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    await dozen(['apps:create', 'web']);
    repo = join(scratch, 'web');
    git = await exampleRepo(platform, repo);
    await dozen(['git:remote', '-a', 'web'], repo);
    const first = await git(['push', 'dozen', 'main']);
    expect(first.code, first.stderr).toBe(0);
    base = (await git.ok(['rev-parse', 'HEAD'])).trim();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('every git route needs a token: 401 with a Basic challenge, and nothing changes', async () => {
    const refs = `/git/web.git/info/refs?service=git-receive-pack`;
    for (const headers of [{}, basicAuth('dzn_wrong'), { authorization: `Bearer ${token}x` }]) {
      const response = await rawRequest(platform.apiUrl, { path: refs, headers });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Dozen"/);
    }
    const push = await rawRequest(platform.apiUrl, {
      method: 'POST',
      path: '/git/web.git/git-receive-pack',
      headers: { 'content-type': 'application/x-git-receive-pack-request' },
      body: receivePackBody([`${'0'.repeat(40)} ${base} refs/heads/sneaky`]),
    });
    expect(push.status).toBe(401);
    expect(await remoteRefs()).not.toContain('sneaky');
  });

  it.each([
    ['/git/..git/info/refs?service=git-upload-pack', [422]],
    ['/git/../web.git/info/refs?service=git-upload-pack', [404]],
    ['/git/..%2Fweb.git/info/refs?service=git-upload-pack', [422]],
    ['/git/web%2F..%2Fweb.git/info/refs?service=git-upload-pack', [422]],
    ['/git/web%2ehidden.git/info/refs?service=git-upload-pack', [422]],
    ['/git/web.git/../../admin-token', [404]],
    ['/git/web.git/HEAD', [404]],
    ['/git/web.git/config', [404]],
    ['/git/web.git/objects/info/packs', [404]],
    ['/git/web.git/info/refs?service=git-upload-archive', [400]],
  ])('an app name or path that does not validate is refused: %s', async (path, statuses) => {
    const response = await rawRequest(platform.apiUrl, { path, headers: basicAuth(token) });
    expect(statuses, `${path} -> ${response.status} ${response.body}`).toContain(response.status);
    expect(response.body).not.toContain(token);
    const clone = await gitIn(platform, scratch)(['clone', `${platform.apiUrl}/git/..%2Fweb.git`, 'bad-clone']);
    expect(clone.code).not.toBe(0);
  });

  it('branch names beginning with -, with shell syntax or too long are refused by name; nothing reaches a shell', async () => {
    const marker = join(scratch, 'marker');
    for (const name of ['-x', '--exec=x', `$(touch\${IFS}${marker})`, '`touch${IFS}marker`', ';id', `x${'y'.repeat(254)}`]) {
      const push = await git(['push', 'dozen', `HEAD:refs/heads/${name}`]);
      expect(push.code, name).not.toBe(0);
      expect(push.stderr).toContain('(pre-receive hook declined)');
      expect(push.stderr).toContain(`remote:  !     Branch ${JSON.stringify(name).slice(0, 60)}`);
      expect(push.stderr).toContain('(GIT_REF_INVALID)');
    }
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(repo, 'marker'))).toBe(false);
    expect(await remoteRefs()).toBe(`${base}\tHEAD\n${base}\trefs/heads/main`);
  });

  it('branch names with .. or control characters: git refuses to send them, and Dozen refuses them sent by hand', async () => {
    for (const name of ['a..b', 'a\u0001b']) {
      const push = await git(['push', 'dozen', `HEAD:refs/heads/${name}`]);
      expect(push.code, name).not.toBe(0);
    }
    const zero = '0'.repeat(40);
    const response = await rawRequest(platform.apiUrl, {
      method: 'POST',
      path: '/git/web.git/git-receive-pack',
      headers: { ...basicAuth(token), 'content-type': 'application/x-git-receive-pack-request' },
      body: receivePackBody([`${zero} ${base} refs/heads/a..b`, `${zero} ${base} refs/heads/c\u0001d`, `${zero} ${base} refs/heads/-y`]),
    });
    // receive-pack hands them to the pre-receive step, which refuses the whole push.
    expect(response.status).toBe(200);
    expect(response.body).toContain('unpack ok');
    expect(response.body).toContain('ng refs/heads/a..b pre-receive hook declined');
    expect(response.body).toContain('ng refs/heads/c\u0001d pre-receive hook declined');
    expect(response.body).toContain('ng refs/heads/-y pre-receive hook declined');
    expect(await remoteRefs()).toBe(`${base}\tHEAD\n${base}\trefs/heads/main`);
  });

  it('a push larger than DOZEN_GIT_MAX_PUSH_MB is refused by git and builds nothing', async () => {
    const before = (await builds('web')).length;
    writeFileSync(join(repo, 'big.bin'), randomBytes(3 * 1024 * 1024));
    await commitAll(git, 'too big');
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('remote: fatal: pack exceeds maximum allowed size');
    expect(push.stderr).toContain('! [remote rejected] main -> main');
    expect((await builds('web')).length).toBe(before);
    expect(await remoteRefs()).toContain(`${base}\trefs/heads/main`);
    await git.ok(['reset', '--quiet', '--hard', base]);
  });

  it('a commit with a submodule is not deployed (named), though another branch may store it', async () => {
    const before = (await builds('web')).length;
    writeFileSync(join(repo, '.gitmodules'), '[submodule "lib"]\n\tpath = vendor/lib\n\turl = https://example.com/lib.git\n');
    await git.ok(['add', '.gitmodules']);
    await git.ok(['update-index', '--add', '--cacheinfo', `160000,${base},vendor/lib`]);
    await git.ok(['commit', '--quiet', '-m', 'a submodule']);
    expect(await git.ok(['ls-tree', 'HEAD', 'vendor/lib'])).toMatch(/^160000 commit/);
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/remote: {2}! {5}Commit [0-9a-f]{7} cannot be deployed: "vendor\/lib" is a submodule\./);
    expect(push.stderr).toContain('(GIT_TREE_UNSUPPORTED)');
    expect(push.stderr).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    expect((await builds('web')).length).toBe(before);
    const stored = await git(['push', 'dozen', 'main:with-submodule']);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).toContain('Stored branch with-submodule');
    await git.ok(['reset', '--quiet', '--hard', base]);
  });

  it('a tree with a .git directory inside is refused while git receives it', async () => {
    for (const path of [['.git'], ['sub', '.git']]) {
      const config = (await runWithInput(git, ['hash-object', '-w', '--stdin'], '[core]\n\tfsmonitor = touch /tmp/dozen-pwned\n')).trim();
      let tree = (await runWithInput(git, ['mktree'], `100644 blob ${config}\tconfig\n`)).trim();
      for (const part of [...path].reverse()) tree = (await runWithInput(git, ['mktree'], `040000 tree ${tree}\t${part}\n`)).trim();
      const commit = (await git.ok(['commit-tree', tree, '-p', base, '-m', 'nested .git'])).trim();
      const push = await git(['push', 'dozen', `${commit}:refs/heads/main`]);
      expect(push.code, path.join('/')).not.toBe(0);
      expect(push.stderr).toContain('hasDotgit');
      expect(push.stderr).toMatch(/\[remote rejected\] .* -> main \(unpacker error\)/);
    }
    expect(existsSync('/tmp/dozen-pwned')).toBe(false);
    expect(await remoteRefs()).toContain(`${base}\trefs/heads/main`);
  });

  it('a client that disconnects while sending the pack leaves nothing: no ref, no build, no quarantine', async () => {
    const before = (await builds('web')).length;
    const dir = await repoDir('web');
    const zero = '0'.repeat(40);
    const head = Buffer.concat([pkt(`${zero} ${'1'.repeat(40)} refs/heads/half\0report-status\n`), FLUSH, Buffer.from('PACK\0\0\0\x02\0\0\0\x09'), randomBytes(64 * 1024)]);
    const url = new URL(platform.apiUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        const auth = basicAuth(token).authorization;
        socket.write(`POST /git/web.git/git-receive-pack HTTP/1.1\r\nHost: ${url.host}\r\n${'Authorization'}: ${auth}\r\nContent-Type: application/x-git-receive-pack-request\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`);
        socket.write(head, () => setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300));
      });
      socket.on('error', reject);
    });
    await eventually(async () => expect(readdirSync(join(dir, 'objects')).filter((name) => name.startsWith('tmp_objdir'))).toEqual([]));
    expect(await remoteRefs()).not.toContain('half');
    expect((await builds('web')).length).toBe(before);
  });

  it('a client that disconnects during the build: the push completes on the server, so the release and the branch agree', async () => {
    slowBuild(repo, 2500);
    const commit = await commitAll(git, 'pushed by a client that goes away');
    const child = git.spawn(['push', 'dozen', 'main']);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/remote: +build-step-1/.test(stderr)) resolve();
      });
      child.on('close', () => resolve());
    });
    expect(stderr).toContain('build-step-1');
    process.kill(-(child.pid as number), 'SIGKILL');
    const build = await eventually(async () => {
      const found = (await builds('web')).find((b) => b.commit === commit);
      expect(found?.status).toMatch(/succeeded|failed/);
      return found as WireBuild;
    }, 60_000);
    expect(build.status).toBe('succeeded');
    const current = JSON.parse(await dozen(['releases', '-a', 'web', '--json'])) as { current: boolean; commit: string | null }[];
    await eventually(async () => expect(await remoteRefs()).toContain(`${current.find((r) => r.current)?.commit}\trefs/heads/main`));
    expect(current.find((r) => r.current)?.commit).toBe(commit);
    base = commit;
  });

  it('concurrent pushes to one app are serialised: the second waits, then is refused because main moved', async () => {
    const one = await newClone('web', 'one');
    const two = await newClone('web', 'two');
    for (const clone of [one, two]) {
      await clone.git.ok(['fetch', '--quiet', 'dozen']);
      await clone.git.ok(['reset', '--quiet', '--hard', 'dozen/main']);
      slowBuild(clone.dir, 3000);
      writeFileSync(join(clone.dir, 'who.txt'), clone.dir);
      await commitAll(clone.git, `from ${clone.dir}`);
    }
    const before = (await builds('web')).length;
    const [a, b] = await Promise.all([one.git(['push', 'dozen', 'main']), two.git(['push', 'dozen', 'main'])]);
    const results = [a, b].sort((x, y) => (x.code ?? 1) - (y.code ?? 1));
    expect(results.map((r) => r.code)).toEqual([0, 1]);
    const refused = results[1] as { stderr: string };
    expect(refused.stderr).toContain('remote: -----> Another push to web is in progress: waiting for it to finish...');
    expect(refused.stderr).toContain('was updated by another push while this one was on its way');
    expect(refused.stderr).toContain('(GIT_PUSH_STALE)');
    expect(refused.stderr).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    expect((await builds('web')).length).toBe(before + 1);
  });

  it('pushes to different apps build in parallel', async () => {
    await dozen(['apps:create', 'other']);
    const one = await newClone('web', 'par-one');
    const two = await newClone('other', 'par-two');
    await one.git.ok(['fetch', '--quiet', 'dozen']);
    await one.git.ok(['reset', '--quiet', '--hard', 'dozen/main']);
    for (const clone of [one, two]) {
      slowBuild(clone.dir, 3000);
      writeFileSync(join(clone.dir, 'parallel.txt'), clone.dir);
      await commitAll(clone.git, 'in parallel');
    }
    const [a, b] = await Promise.all([one.git(['push', 'dozen', 'main']), two.git(['push', 'dozen', 'main'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // When each build's own script ran (printed by it, relayed to its push): the two runs must overlap.
    // Build records are no proof: createdAt is set when a build is queued, not when it starts.
    const ran = (stderr: string) => [1, 2].map((step) => Number(new RegExp(`remote: +build-step-${step} at (\\d+)`).exec(stderr)?.[1])) as [number, number];
    const [xs, xe] = ran(a.stderr);
    const [ys, ye] = ran(b.stderr);
    expect([xs, xe, ys, ye].every(Number.isFinite), `${a.stderr}\n${b.stderr}`).toBe(true);
    expect(xs < ye && ys < xe, JSON.stringify({ web: [xs, xe], other: [ys, ye] })).toBe(true);
  });
});

function runWithInput(git: Git, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = git.spawn(args);
    child.stdin?.end(input);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args.join(' ')} exited ${code}`))));
  });
}
