import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo } from './support/git.js';
import { ROOT, TestPlatform } from './support/platform.js';

interface HelloBody {
  compiled: { greeting: string; envGreeting: string; compiles: number; stack?: string; settings?: string; gitDir?: string } | null;
  chain: string | null;
  release: string;
}

const FIXTURES = join(ROOT, 'test', 'fixtures');
const HELLO = join(FIXTURES, 'buildpacks', 'hello');
const CHAIN = join(FIXTURES, 'buildpacks', 'chain');
const BROKEN = join(FIXTURES, 'buildpacks', 'broken');
const HEROKU_STYLE = join(FIXTURES, 'buildpacks', 'heroku-style');
const HELLO_APP = join(FIXTURES, 'apps', 'hello-bash');

/** Issue 3, acceptance 2 (first half): external buildpacks of Heroku's API, chains, git URLs. */
describe('builds: external buildpacks', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-bp-'));
  const ok = (args: string[]) => platform.ok(args);
  const fails = (args: string[], code: string) => platform.fails(args, code);
  const body = async (app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as HelloBody;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_BUILDPACK_DIRS: `${FIXTURES}:${scratch}` });
    await ok(['apps:create', 'bp']);
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds a fixture app with a bash buildpack; config reaches it only through ENV_DIR', async () => {
    await ok(['buildpacks:set', HELLO, '-a', 'bp']);
    expect((await ok(['buildpacks', '-a', 'bp'])).stdout).toContain(`1. ${HELLO}`);
    await ok(['config:set', 'GREETING=hi there', '-a', 'bp']);
    const deploy = await ok(['deploy', HELLO_APP, '-a', 'bp']);
    expect(deploy.stdout).toContain(`Hello app detected (buildpack ${HELLO})`);
    expect(deploy.stdout).toContain('greeting from ENV_DIR: hi there');
    expect(deploy.stdout).toContain('GREETING in env: absent');
    expect(deploy.stdout).toContain('Process types -> web');
    expect(await body('bp')).toMatchObject({ compiled: { greeting: 'hi there', envGreeting: 'absent', compiles: 1 }, chain: null, release: 'v2' });
  });

  it('runs a two-buildpack chain: the second sees what the first exported; each keeps its cache', async () => {
    await ok(['buildpacks:add', CHAIN, '-a', 'bp']);
    expect((await ok(['buildpacks', '-a', 'bp'])).stdout).toMatch(/1\. .*hello\n2\. .*chain/);
    const deploy = await ok(['deploy', HELLO_APP, '-a', 'bp']);
    expect(deploy.stdout).toContain('Exported for the next buildpacks: HELLO_EXPORTED');
    expect(deploy.stdout).toContain('chain buildpack: HELLO_EXPORTED=from the hello buildpack');
    expect(deploy.stdout).toMatch(/Build phases: detect [\d.]+ s, compile hello [\d.]+ s, compile chain [\d.]+ s, slug/);
    expect(await body('bp')).toMatchObject({ compiled: { compiles: 2 }, chain: 'from the hello buildpack', release: 'v3' });
  });

  it('fetches a buildpack from a git URL with a #ref (a local bare repository over file://)', async () => {
    const work = join(scratch, 'hello-work');
    const bare = join(scratch, 'hello.git');
    cpSync(HELLO, work, { recursive: true });
    const git = (args: string[], cwd: string) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' });
    git(['init', '-q', '-b', 'main', '.'], work);
    git(['add', '.'], work);
    git(['commit', '-q', '-m', 'hello buildpack'], work);
    git(['tag', 'v1'], work);
    git(['init', '-q', '--bare', bare], scratch);
    git(['push', '-q', bare, 'main', 'v1'], work);
    await ok(['buildpacks:set', `file://${bare}#v1`, '-a', 'bp']);
    const deploy = await ok(['deploy', HELLO_APP, '-a', 'bp']);
    expect(deploy.stdout).toContain(`Fetching buildpack file://${bare}`);
    expect(deploy.stdout).toContain('Hello app detected');
    expect(await body('bp')).toMatchObject({ compiled: { greeting: 'hi there' }, release: 'v4' });
  });

  it('takes the buildpacks from app.json when none are set', async () => {
    const app = join(scratch, 'with-app-json');
    cpSync(HELLO_APP, app, { recursive: true });
    writeFileSync(join(app, 'app.json'), JSON.stringify({ name: 'hello', buildpacks: [{ url: HELLO }, { url: CHAIN }] }));
    await ok(['buildpacks:clear', '-a', 'bp']);
    expect((await ok(['buildpacks', '-a', 'bp'])).stdout).toContain('no buildpacks set');
    const deploy = await ok(['deploy', app, '-a', 'bp']);
    expect(deploy.stdout).toContain('Chain app detected');
    expect(await body('bp')).toMatchObject({ chain: 'from the hello buildpack', release: 'v5' });
  });

  it('says which buildpack did not detect the app, shows the last output of a failing compile, and keeps serving', async () => {
    await ok(['buildpacks:set', HELLO, '-a', 'bp']);
    const detect = await fails(['deploy', 'examples/node-web', '-a', 'bp'], 'BUILD_DETECT_FAILED');
    expect(detect.stderr).toContain(`Buildpack ${HELLO} does not recognise the app`);
    await ok(['buildpacks:set', BROKEN, '-a', 'bp']);
    const compile = await fails(['deploy', HELLO_APP, '-a', 'bp'], 'BUILD_FAILED');
    expect(compile.stdout).toContain('step one went fine');
    expect(compile.stderr).toContain('error: the broken buildpack cannot compile this');
    expect(compile.stderr).toMatch(/failed with exit code 3/);
    expect(await body('bp')).toMatchObject({ release: 'v5' });
  });

  it('refuses buildpacks that are not names, allowed paths or https/file git URLs', async () => {
    for (const url of ['ssh://host/x.git', 'ext::sh -c id', '--upload-pack=x', 'git://host/x', 'https://host/x.git#--evil', 'file:///x/../etc']) {
      const result = await fails(['buildpacks:set', '-a', 'bp', '--', url], 'BUILDPACK_INVALID');
      expect(result.stderr).toContain(JSON.stringify(url).slice(1, 12));
    }
    const outside = await fails(['buildpacks:set', '/etc', '-a', 'bp'], 'BUILDPACK_INVALID');
    expect(outside.stderr).toContain('outside the directories local buildpacks may come from');
    expect(await body('bp')).toMatchObject({ release: 'v5' });
  });

  it('refuses a bad Procfile (invalid type, duplicate, empty command, too long) and accepts CRLF', async () => {
    await ok(['buildpacks:set', 'procfile', '-a', 'bp']);
    const app = join(scratch, 'procfile-app');
    cpSync(HELLO_APP, app, { recursive: true });
    const cases: [string, RegExp][] = [
      ['web node server.js\n', /line 1 .* is not `type: command`/],
      ['we b: node server.js\n', /line 1/],
      ['web: node server.js\nweb: node other.js\n', /line 2: process type web is declared twice/],
      ['web:\n', /line 1: process type web has an empty command/],
      [`${'# filler\n'.repeat(10_000)}web: node server.js\n`, /over the limit of 1000/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(app, 'Procfile'), text);
      const result = await fails(['deploy', app, '-a', 'bp'], 'PROCFILE_INVALID');
      expect(result.stderr).toMatch(message);
    }
    expect(await body('bp')).toMatchObject({ release: 'v5' });
    writeFileSync(join(app, 'Procfile'), 'web: node server.js\r\nworker: node server.js\r\n');
    const crlf = await ok(['deploy', app, '-a', 'bp']);
    expect(crlf.stdout).toContain('Process types -> web, worker');
    expect(await body('bp')).toMatchObject({ release: 'v6' });
  });

  /** Issue 11, acceptance 4: local buildpacks as Heroku's really are (0600 files, clones, $STACK checks). */
  describe('Heroku-style buildpacks from the places they really live', () => {
    const git = (args: string[], cwd: string) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' });
    const work = join(scratch, 'heroku-style');

    beforeAll(async () => {
      cpSync(HEROKU_STYLE, work, { recursive: true });
      chmodSync(join(work, 'lib', 'settings'), 0o600);
      git(['init', '-q', '-b', 'main', '.'], work);
      git(['add', '.'], work);
      git(['commit', '-q', '-m', 'heroku-style buildpack'], work);
      await ok(['apps:create', 'hk']);
    });

    it('copies a plain directory as the platform (its 0600 file included, .git left out); the default $STACK is a Heroku one', async () => {
      await ok(['buildpacks:set', work, '-a', 'hk']);
      const deploy = await ok(['deploy', HELLO_APP, '-a', 'hk']);
      expect(deploy.stdout).toContain(`Heroku-style app detected (buildpack ${work})`);
      expect(deploy.stdout).toContain("settings: read from the buildpack's own lib");
      expect(deploy.stdout).toContain('buildpack .git: absent');
      expect(deploy.stdout).toMatch(/heroku-style buildpack on heroku-2\d\n/);
      expect(await body('hk')).toMatchObject({ compiled: { stack: expect.stringMatching(/^heroku-2\d$/), gitDir: 'absent' }, release: 'v1' });
    });

    it('fetches a buildpack from a file:// URL of an ordinary (non-bare) clone', async () => {
      const clone = join(scratch, 'heroku-style-clone');
      git(['clone', '-q', work, clone], scratch);
      await ok(['buildpacks:set', `file://${clone}`, '-a', 'hk']);
      const deploy = await ok(['deploy', HELLO_APP, '-a', 'hk']);
      expect(deploy.stdout).toContain(`Fetching buildpack file://${clone}`);
      expect(deploy.stdout).toContain("settings: read from the buildpack's own lib");
      expect(await body('hk')).toMatchObject({ compiled: { gitDir: 'absent' }, release: 'v2' });
    });

    it('checks a path when it is set or added, not at the next build', async () => {
      const missing = await fails(['buildpacks:set', join(scratch, 'nowhere'), '-a', 'hk'], 'BUILDPACK_INVALID');
      expect(missing.stderr).toContain('does not exist on the platform host');
      const half = join(scratch, 'half');
      mkdirSync(join(half, 'bin'), { recursive: true });
      writeFileSync(join(half, 'bin', 'detect'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const added = await fails(['buildpacks:add', half, '-a', 'hk'], 'BUILDPACK_INVALID');
      expect(added.stderr).toContain(`Buildpack ${half} has no bin/compile`);
      const notGit = await fails(['buildpacks:set', `file://${half}`, '-a', 'hk'], 'BUILDPACK_INVALID');
      expect(notGit.stderr).toContain('is not a git repository');
      expect((await ok(['buildpacks', '-a', 'hk'])).stdout).toContain(`1. file://${join(scratch, 'heroku-style-clone')}`);
    });

    it('a set buildpack that says no gets a hint about the buildpacks, and builds:info names them for the failed build', async () => {
      await ok(['buildpacks:set', work, '-a', 'hk']);
      const refused = await fails(['deploy', 'examples/node-web', '-a', 'hk'], 'BUILD_DETECT_FAILED');
      expect(refused.stderr).toContain(`Buildpack ${work} does not recognise the app`);
      expect(refused.stderr).toContain('dozen buildpacks:set');
      expect(refused.stderr).not.toContain('Add a package.json');
      const info = await ok(['builds:info', '-a', 'hk']);
      expect(info.stdout).toMatch(/Status:\s+failed/);
      expect(info.stdout).toMatch(new RegExp(`Buildpacks:\\s+${work.replaceAll('/', '\\/')}`));
      expect(await body('hk')).toMatchObject({ release: 'v2' });
    });

    it('a push that the source checks refuse gets a hint about the repository, not about tarballs', async () => {
      await ok(['apps:create', 'pushed']);
      const repo = join(scratch, 'pushed');
      const git = await exampleRepo(platform, repo);
      symlinkSync('/etc/passwd', join(repo, 'leak'));
      await commitAll(git, 'a link that leaves the repository');
      await platform.ok(['git:remote', '-a', 'pushed'], { cwd: repo });
      const push = await git(['push', 'dozen', 'main']);
      expect(push.code, push.stderr).not.toBe(0);
      expect(push.stderr).toContain('Push rejected (SOURCE_INVALID)');
      expect(push.stderr).toContain('commit, and push again');
      expect(push.stderr).not.toMatch(/tarball|tar archive|dozen deploy|\.dozenignore/);
    });
  });
});
