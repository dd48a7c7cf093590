import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, gitIn, helperConfig, slowBuild, type Git } from './support/git.js';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

interface WireRelease {
  version: number;
  description: string;
  status: string;
  current: boolean;
  commit: string | null;
}

/** Issue 7 acceptance 1 and 2: `git push` deploys, with the real git client and the real CLI. */
describe('git push: the codebase is the deploy', () => {
  let platform: TestPlatform;
  let git: Git;
  let repo: string;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-git-'));
  const greeting = async (app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as { greeting: string; release: string };
  };
  const dozen = async (args: string[], cwd?: string) => {
    const result = await platform.cli(args, cwd ? { cwd } : {});
    expect(result.code, `dozen ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const releases = async (app: string) => JSON.parse(await dozen(['releases', '-a', app, '--json'])) as WireRelease[];
  const remoteRef = async (ref: string) => (await git.ok(['ls-remote', 'dozen', ref])).split('\t')[0] ?? '';

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await dozen(['apps:create', 'web']);
    repo = join(scratch, 'web');
    git = await exampleRepo(platform, repo);
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1a. git:remote adds the remote and the credential helper, with no token in the URL or the output', async () => {
    const out = await dozen(['git:remote', '-a', 'web'], repo);
    const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
    expect(out).toContain(`Git remote dozen added: ${platform.apiUrl}/git/web.git`);
    expect(out).not.toContain(token);
    expect((await git.ok(['remote', 'get-url', 'dozen'])).trim()).toBe(`${platform.apiUrl}/git/web.git`);
    const config = readFileSync(join(repo, '.git', 'config'), 'utf8');
    expect(config).not.toContain(token);
    expect(config).toContain(`[credential "${platform.apiUrl}"]`);
    expect(config).toMatch(/helper = !'.*' 'git:credential' '--api-url'/);
    // Running it again repoints the remote instead of failing.
    expect(await dozen(['git:remote', '-a', 'web'], repo)).toContain('Git remote dozen now points');
  });

  it('1b. git push dozen main deploys node-web; the build output streams live as remote: lines', async () => {
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code, push.stderr).toBe(0);
    const commit = (await git.ok(['rev-parse', 'HEAD'])).trim();
    expect(push.stderr).toContain(`remote: -----> Building web from main (commit ${commit.slice(0, 7)})`);
    expect(push.stderr).toContain('remote: -----> Node.js app detected');
    expect(push.stderr).toContain('remote:        Process types -> web, worker');
    expect(push.stderr).toMatch(/remote: Released v1: http:\/\/web\.localhost:\d+/);
    expect(push.stderr).toContain('* [new branch]      main -> main');
    expect(await greeting('web')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v1' });
    expect(await remoteRef('refs/heads/main')).toBe(commit);
    // Only the platform's user can reach the hook's socket; repositories carry no hooks of their own.
    expect(statSync(join(platform.dataDir, 'run')).mode & 0o777).toBe(0o700);
    const [repository] = readdirSync(join(platform.dataDir, 'git', 'repos'));
    expect(readdirSync(join(platform.dataDir, 'git', 'repos', repository as string))).not.toContain('hooks');
  });

  it('1c. the output arrives while the build is still running, not at its end', async () => {
    slowBuild(repo, 3000);
    const commit = await commitAll(git, 'a build step that takes a while');
    const child = git.spawn(['push', 'dozen', 'main']);
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const sawStep = new Promise<boolean>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/remote: +build-step-1/.test(stderr)) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    expect(await sawStep, stderr).toBe(true);
    const builds = JSON.parse(await dozen(['builds', '-a', 'web', '--json'])) as { status: string; commit: string | null }[];
    const statusAtFirstStep = builds.find((b) => b.commit === commit)?.status;
    expect(stderr).not.toContain('build-step-2');
    expect(await exited, stderr).toBe(0);
    expect(statusAtFirstStep).toBe('building');
    expect(stderr).toMatch(/remote: +build-step-2/);
    expect(stderr).toContain('remote: Released v2');
  });

  it('1d. a second commit deploys as the next release, with its SHA in releases', async () => {
    const server = join(repo, 'server.js');
    writeFileSync(server, readFileSync(server, 'utf8').replace("'Hello from Dozen'", "'Hello from git'"));
    cpSync(join(ROOT, 'examples', 'node-web', 'package.json'), join(repo, 'package.json'));
    const commit = await commitAll(git, 'a new greeting');
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('remote: Released v3');
    expect(await greeting('web')).toMatchObject({ greeting: 'Hello from git', release: 'v3' });
    const [latest] = await releases('web');
    expect(latest).toMatchObject({ version: 3, current: true, commit, description: `Deploy ${commit.slice(0, 7)}` });
    expect(await dozen(['releases', '-a', 'web'])).toMatch(new RegExp(`v3\\s+Deploy ${commit.slice(0, 7)}\\s+${commit.slice(0, 7)}\\s+current`));
    const builds = JSON.parse(await dozen(['builds', '-a', 'web', '--json'])) as { commit: string | null; release: number | null }[];
    expect(builds[0]).toMatchObject({ commit, release: 3 });
  });

  it('1e. a commit that breaks the build is rejected; the previous release still serves and main does not move', async () => {
    const good = (await git.ok(['rev-parse', 'HEAD'])).trim();
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'node-web', version: '1.0.0', scripts: { start: 'node server.js', build: 'node -e "process.exit(3)"' } }));
    await commitAll(git, 'a broken build');
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    expect(push.stderr).toMatch(/remote: {2}! {5}`npm run build` failed with exit code 3/);
    expect(push.stderr).toContain('remote:  !     Push rejected (BUILD_FAILED): v3 is still serving.');
    expect(await greeting('web')).toMatchObject({ greeting: 'Hello from git', release: 'v3' });
    expect(await remoteRef('refs/heads/main')).toBe(good);
    expect((await releases('web')).map((r) => r.version)).toEqual([3, 2, 1]);
    await git.ok(['reset', '--quiet', '--hard', good]);
  });

  it('1f. a commit that is already the current release is not built again', async () => {
    const push = await git(['push', 'dozen', 'main:master']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toMatch(/remote: -----> Commit [0-9a-f]{7} is already deployed as v3: nothing to build\./);
    expect((await releases('web')).length).toBe(3);
  });

  it('2a. a push to another branch is stored and not deployed, and the output says so', async () => {
    await git.ok(['checkout', '--quiet', '-b', 'feature']);
    writeFileSync(join(repo, 'NOTES.md'), 'work in progress\n');
    const commit = await commitAll(git, 'work in progress');
    const push = await git(['push', 'dozen', 'feature']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain(`remote: -----> Stored branch feature (${commit.slice(0, 7)}), not deployed: pushes to main or master deploy.`);
    expect(push.stderr).not.toContain('Building');
    expect(await remoteRef('refs/heads/feature')).toBe(commit);
    expect((await releases('web')).length).toBe(3);
    await git.ok(['checkout', '--quiet', 'main']);
  });

  it('2b. git clone works with the token and fails without one, or with a wrong one', async () => {
    const url = `${platform.apiUrl}/git/web.git`;
    const outside = gitIn(platform, scratch);
    const clone = await outside([...helperConfig(platform), 'clone', '--quiet', url, 'with-token']);
    expect(clone.code, clone.stderr).toBe(0);
    expect(readdirSync(join(scratch, 'with-token'))).toContain('server.js');
    const branches = await gitIn(platform, join(scratch, 'with-token')).ok(['branch', '-r']);
    expect(branches).toContain('origin/feature');

    const anonymous = await outside(['clone', url, 'without-token']);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/could not read Username|Authentication failed/);
    expect(existsSync(join(scratch, 'without-token'))).toBe(false);

    const wrong = await outside([...helperConfig(platform), 'clone', url, 'wrong-token'], { DOZEN_API_TOKEN: 'dzn_wrong' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`Authentication failed for '${url}/'`);
  });

  it('2c. a push without a token, or with a wrong one, fails with an authentication error and changes nothing', async () => {
    const before = await remoteRef('refs/heads/main');
    await commitAll(git, 'not allowed');
    const wrong = await git(['push', 'dozen', 'main'], { DOZEN_API_TOKEN: 'dzn_wrong' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Authentication failed');
    const none = await git(['-c', `credential.${platform.apiUrl}.helper=`, 'push', 'dozen', 'main']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/could not read Username/);
    expect(await remoteRef('refs/heads/main')).toBe(before);
    await git.ok(['reset', '--quiet', '--hard', before]);
  });

  it('the deploy branch is a per-app setting: then main is only stored', async () => {
    expect(await dozen(['git:deploy-branch', 'production', '-a', 'web'])).toContain('pushes to production deploy web');
    const main = await git(['push', 'dozen', 'HEAD:main', '--force']);
    expect(main.stderr).toContain('Everything up-to-date');
    await commitAll(git, 'for production');
    const stored = await git(['push', 'dozen', 'main']);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).toContain('not deployed: pushes to production deploy.');
    const deployed = await git(['push', 'dozen', 'main:production']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain('remote: -----> Building web from production');
    expect(deployed.stderr).toContain('remote: Released v4');
    expect(await dozen(['git:deploy-branch', '--reset', '-a', 'web'])).toContain('pushes to main or master deploy web');
  });

  it('config changes and rollbacks keep the commit of the code they run', async () => {
    const [deployed] = await releases('web');
    await dozen(['config:set', 'GREETING=Howdy', '-a', 'web']);
    const [configured] = await releases('web');
    expect(configured).toMatchObject({ version: (deployed?.version ?? 0) + 1, commit: deployed?.commit });
    await dozen(['rollback', 'v3', '-a', 'web']);
    const [rolledBack] = await releases('web');
    const v3 = (await releases('web')).find((r) => r.version === 3);
    expect(rolledBack).toMatchObject({ description: 'Rollback to v3', commit: v3?.commit });
  });

  it('dozen deploy in a git work tree packs the working tree; --ref packs a commit with git archive', async () => {
    const mono = join(scratch, 'mono');
    const monoGit = await exampleRepo(platform, join(mono, 'apps', 'web'));
    // The app lives in a subdirectory of a bigger repository: make the repository the parent.
    rmSync(join(mono, 'apps', 'web', '.git'), { recursive: true, force: true });
    const top = gitIn(platform, mono);
    await top.ok(['init', '--quiet', '--initial-branch=main']);
    const commit = await commitAll(top, 'monorepo');
    const server = join(mono, 'apps', 'web', 'server.js');
    writeFileSync(server, readFileSync(server, 'utf8').replace("'Hello from Dozen'", "'Hello from the working tree'"));
    void monoGit;
    await dozen(['apps:create', 'mono']);

    await dozen(['deploy', '-a', 'mono'], join(mono, 'apps', 'web'));
    expect(await greeting('mono')).toMatchObject({ greeting: 'Hello from the working tree', release: 'v1' });

    const byRef = await dozen(['deploy', '--ref', 'HEAD', '-a', 'mono'], join(mono, 'apps', 'web'));
    expect(byRef).toContain('Released v2');
    expect(await greeting('mono')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v2' });
    expect((await releases('mono'))[0]).toMatchObject({ version: 2, commit });

    const missing = await platform.cli(['deploy', '--ref', 'no-such-branch', '-a', 'mono'], { cwd: join(mono, 'apps', 'web') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('"no-such-branch" is not a commit of the repository');
    const option = await platform.cli(['deploy', '--ref=--output=/tmp/dozen-x', '-a', 'mono'], { cwd: join(mono, 'apps', 'web') });
    expect(option.stderr).toContain('(GIT_REF_NOT_FOUND)');
    expect(existsSync('/tmp/dozen-x')).toBe(false);
    const outside = await platform.cli(['git:remote', '-a', 'mono'], { cwd: tmpdir() });
    expect(outside.stderr).toContain('(GIT_NOT_A_REPOSITORY)');
  });

  it('a commit whose release phase fails is rejected: its output shows as remote: lines, the serving release stays and main does not move', async () => {
    const before = await remoteRef('refs/heads/main');
    const serving = (await releases('web')).find((r) => r.current);
    const served = await greeting('web');
    writeFileSync(join(repo, 'migrate.js'), 'console.log("migrating the schema"); console.error("ERROR: column \\"email\\" already exists"); process.exit(5);\n');
    writeFileSync(join(repo, 'Procfile'), `${readFileSync(join(repo, 'Procfile'), 'utf8').trimEnd()}\nrelease: node migrate.js\n`);
    const commit = await commitAll(git, 'a migration that fails');
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code, push.stderr).not.toBe(0);
    expect(push.stderr).toContain('! [remote rejected] main -> main (pre-receive hook declined)');
    const servingName = `v${serving?.version ?? '?'}`;
    expect(push.stderr).toMatch(/^remote: -----> Running release phase of v\d+: node migrate\.js/m);
    expect(push.stderr).toMatch(/^remote: +migrating the schema/m);
    expect(push.stderr).toMatch(/^remote: +ERROR: column "email" already exists/m);
    expect(push.stderr).toMatch(new RegExp(`^remote: {2}! {5}Release v\\d+ failed: its release phase \\(\`node migrate\\.js\`\\) exited with status 5; ${servingName} is still serving\\.`, 'm'));
    expect(push.stderr).toContain(`remote:  !     Push rejected (RELEASE_PHASE_FAILED): ${servingName} is still serving.`);
    expect(push.stderr).not.toMatch(/remote: Released v/);
    expect(await greeting('web')).toEqual(served);
    expect(await remoteRef('refs/heads/main')).toBe(before);
    const [latest, ...older] = await releases('web');
    expect(latest).toMatchObject({ status: 'failed', current: false, commit });
    expect(older.find((r) => r.current)?.version).toBe(serving?.version);
    await git.ok(['reset', '--quiet', '--hard', before]);
  });

  it('apps:destroy deletes the app repository', async () => {
    const reposDir = join(platform.dataDir, 'git', 'repos');
    const before = readdirSync(reposDir).length;
    await dozen(['apps:destroy', 'web', '--confirm', 'web']);
    await eventually(async () => expect(readdirSync(reposDir).length).toBe(before - 1));
    const gone = await git(['ls-remote', 'dozen']);
    expect(gone.code).not.toBe(0);
  });
});
