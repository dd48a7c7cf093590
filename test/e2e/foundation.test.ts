import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, processesUnder, processGroupsUnder, ROOT, TestPlatform } from './support/platform.js';

interface NodeWebBody {
  greeting: string;
  process: string;
  release: string;
}

/** Issue 2 acceptance: the whole first-deploy slice, through the real CLI and router. */
describe('foundation: the first deploy, end to end', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-apps-'));
  const body = async (app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as NodeWebBody;
  };
  const ok = (args: string[]) => platform.ok(args);
  const fails = async (args: string[], code: string, env: Record<string, string> = {}) => {
    const result = await platform.cli(args, { env });
    expect(result.code, `dozen ${args.join(' ')} should fail`).not.toBe(0);
    expect(result.stderr).toMatch(/^ ! {4}/m);
    expect(result.stderr).toContain(`(${code}`);
    return result;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('1. deploys examples/node-web and serves it through the router', async () => {
    await ok(['apps:create', 'hello']);
    const deploy = await ok(['deploy', 'examples/node-web', '-a', 'hello']);
    expect(deploy.stdout).toContain('Node.js app detected');
    expect(deploy.stdout).toContain('Process types -> web, worker');
    expect(deploy.stdout).toContain('Released v1');
    expect(await body('hello')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v1', process: 'web.1' });
    expect((await ok(['open', '-a', 'hello'])).stdout.trim()).toBe(`http://hello.localhost:${platform.routerPort}`);
  });

  it('2. config:set makes the next release; releases lists them; rollback restores the old greeting as a new release', async () => {
    const set = await ok(['config:set', 'GREETING=Howdy partner', '-a', 'hello']);
    expect(set.stdout).toContain('released v2');
    expect(await body('hello')).toMatchObject({ greeting: 'Howdy partner', release: 'v2' });
    expect((await ok(['config:get', 'GREETING', '-a', 'hello'])).stdout).toBe('Howdy partner\n');
    const releases = await ok(['releases', '-a', 'hello']);
    expect(releases.stdout).toMatch(/v2\s+Set GREETING config vars\s+current/);
    expect(releases.stdout).toMatch(/v1\s+Deploy \w+\s+succeeded/);
    // What changed, by key name only: the value is never shown.
    const diff = await ok(['releases:diff', 'v1', '-a', 'hello']);
    expect(diff.stdout).toContain('=== hello: v1 -> v2\n+ GREETING\n');
    expect(diff.stdout).not.toContain('Howdy');
    await platform.fails(['releases:diff', 'latest', '-a', 'hello'], 'INVALID_REQUEST');

    await ok(['rollback', '-a', 'hello']);
    expect(await body('hello')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v3' });
    const after = await ok(['releases', '-a', 'hello', '--json']);
    const list = JSON.parse(after.stdout) as { version: number; description: string; current: boolean }[];
    expect(list.map((r) => [r.version, r.description, r.current])).toEqual([
      [3, 'Rollback to v1', true],
      [2, 'Set GREETING config vars', false],
      [1, expect.stringMatching(/^Deploy /), false],
    ]);
    expect(JSON.parse((await ok(['config', '-a', 'hello', '--json'])).stdout)).toEqual({});
  });

  it('3. ps:scale web=2 runs web.1 and web.2, and both answer', async () => {
    await ok(['ps:scale', 'web=2', 'worker=1', '-a', 'hello']);
    const ps = await eventually(async () => {
      const result = await ok(['ps', '-a', 'hello']);
      expect(result.stdout).toMatch(/web\.1:\s+up/);
      expect(result.stdout).toMatch(/web\.2:\s+up/);
      expect(result.stdout).toMatch(/worker\.1:\s+up/);
      return result;
    });
    expect(ps.stdout).toContain('=== web (2): node server.js');
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add((await body('hello')).process);
    expect([...seen].sort()).toEqual(['web.1', 'web.2']);
  });

  it("4. logs -n shows the app's request lines and the platform's events; run returns output and exit code", async () => {
    await body('hello');
    const logs = await eventually(async () => {
      const result = await ok(['logs', '-n', '500', '-a', 'hello']);
      expect(result.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[web\.\d\]: GET \/ -> 200/m);
      return result;
    });
    expect(logs.stdout).toMatch(/dozen\[api\]: Deploy [0-9a-f]{8} by admin\n.*dozen\[api\]: Release v1 created by admin\n/);
    expect(logs.stdout).toMatch(/dozen\[api\]: Scaled to web@2, worker@1/);
    expect(logs.stdout).toMatch(/dozen\[router\]: at=info method=GET path="\/" host=hello\.localhost.* status=200/);
    expect(logs.stdout).toMatch(/app\[worker\.1\]: worker\.1 started/);

    const run = await platform.cli(['run', '-a', 'hello', '--', 'node', '-e', 'console.log("from run", process.env.DOZEN_RELEASE); process.exit(7)']);
    expect(run.code).toBe(7);
    expect(run.stdout).toBe('from run v3\n');
    const piped = await platform.cli(['run', '-a', 'hello', '--', 'wc', '-c'], { input: 'twelve bytes' });
    expect(piped.code).toBe(0);
    expect(piped.stdout.trim()).toBe('12');
    const shell = await platform.cli(['run', '-a', 'hello', 'echo $DOZEN_APP && exit 3']);
    expect(shell).toMatchObject({ code: 3, stdout: 'hello\n' });
    const missing = await platform.cli(['run', '-a', 'hello', '--', 'no-such-command-here']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found');
  });

  it('5. a failing deploy leaves the previous release serving, and every bad input returns its code', async () => {
    const broken = join(scratch, 'broken-boot');
    cpSync(join(ROOT, 'examples', 'node-web'), broken, { recursive: true });
    writeFileSync(join(broken, 'Procfile'), 'web: node missing.js\n');
    const boot = await fails(['deploy', broken, '-a', 'hello'], 'RELEASE_BOOT_FAILED');
    expect(boot.stdout).toMatch(/web\.\d exited with exit code 1 before binding PORT \d+/);
    expect(boot.stdout).toContain('Cannot find module');
    expect(await body('hello')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v3' });

    const badBuild = join(scratch, 'broken-build');
    cpSync(join(ROOT, 'examples', 'node-web'), badBuild, { recursive: true });
    writeFileSync(join(badBuild, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { build: 'echo compiling; exit 3' } }));
    const build = await fails(['deploy', badBuild, '-a', 'hello'], 'BUILD_FAILED');
    expect(build.stdout).toContain('compiling');
    expect(await body('hello')).toMatchObject({ release: 'v3' });
    const releases = JSON.parse((await ok(['releases', '-a', 'hello', '--json'])).stdout) as { version: number; status: string; current: boolean }[];
    expect(releases[0]).toMatchObject({ version: 4, status: 'failed', current: false });
    expect(releases.find((r) => r.current)?.version).toBe(3);

    for (const name of ['A', 'a;id', '../x', 'x'.repeat(31)]) await fails(['apps:create', name], 'APP_NAME_INVALID');
    await fails(['apps:create', '--', '-x'], 'APP_NAME_INVALID');
    await fails(['apps:create', 'hello'], 'APP_NAME_TAKEN');
    await fails(['apps:info', '-a', 'nope'], 'APP_NOT_FOUND');
    await fails(['config:set', '1A=b', '-a', 'hello'], 'CONFIG_KEY_INVALID');
    await fails(['config:set', `BIG=${'x'.repeat(33 * 1024)}`, '-a', 'hello'], 'CONFIG_TOO_LARGE');
    const unknownType = await fails(['ps:scale', 'clock=1', '-a', 'hello'], 'PROCESS_TYPE_UNKNOWN');
    expect(unknownType.stderr).toContain('web, worker');
    const empty = mkdtempSync(join(scratch, 'empty-'));
    await fails(['deploy', empty, '-a', 'hello'], 'DEPLOY_DIR_INVALID');
    await fails(['apps'], 'UNAUTHORIZED', { DOZEN_API_TOKEN: 'dzn_wrong' });
    await fails(['apps'], 'UNAUTHORIZED', { DOZEN_DATA_DIR: scratch });
    await fails(['scale-everything'], 'CLI_USAGE');
    expect(await body('hello')).toMatchObject({ greeting: 'Hello from Dozen', release: 'v3' });
  });

  it('8. examples/node-ts deploys and serves (its build step ran)', async () => {
    await ok(['apps:create', 'typed']);
    const deploy = await ok(['deploy', 'examples/node-ts', '-a', 'typed']);
    expect(deploy.stdout).toContain('Running build');
    expect(deploy.stdout).toContain('Pruning devDependencies');
    const response = await platform.http('typed');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ language: 'typescript', compiled: true, release: 'v1' });
  });

  it('7. SIGTERM stops the platform (exit 0) while its apps keep serving; the next start adopts them; `down --stop-apps` stops every app process', async () => {
    const slugs = join(platform.dataDir, 'slugs');
    const before = processesUnder(slugs).sort();
    expect(processGroupsUnder(slugs).length).toBeGreaterThanOrEqual(4);
    const stopped = await platform.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(platform.logs).toContain('"msg":"stopped"');
    expect((await platform.http('hello')).status).toBe(200);
    expect(processesUnder(slugs).sort()).toEqual(before);

    await platform.boot();
    expect(platform.logs).toContain('Adopted the running edge');
    expect(processesUnder(slugs).sort()).toEqual(before);
    const edge = platform.edgePid;
    expect(edge).not.toBeNull();

    await ok(['down', '--stop-apps']);
    expect(await platform.exited()).toBe(0);
    expect(processesUnder(slugs)).toEqual([]);
    await eventually(async () => expect(existsSync(`/proc/${edge}`)).toBe(false));

    await platform.boot();
    expect(platform.logs).toContain('Started the edge');
    await eventually(async () => expect(await body('hello')).toMatchObject({ release: 'v3' }));
    await eventually(async () => expect((await platform.http('typed')).status).toBe(200));
    const seen = new Set<string>();
    await eventually(async () => {
      seen.add((await body('hello')).process);
      expect(seen.size).toBe(2);
    });
  });

  it('6. apps:destroy stops every process and removes the app and its data; the router answers 404', async () => {
    const slugs = join(platform.dataDir, 'slugs');
    const { app } = JSON.parse((await ok(['apps:info', '-a', 'hello', '--json'])).stdout) as { app: { id: string } };
    const helloSlugs = join(slugs, app.id);
    expect(processGroupsUnder(helloSlugs)).toHaveLength(3);
    const helloLogs = join(platform.dataDir, 'logs', 'hello');
    expect(readdirSync(helloLogs).length).toBeGreaterThan(0);
    await fails(['apps:destroy', 'hello'], 'APP_DESTROY_UNCONFIRMED');
    await ok(['apps:destroy', 'hello', '--confirm', 'hello']);
    expect(processesUnder(helloSlugs)).toEqual([]);
    expect(existsSync(helloSlugs)).toBe(false);
    expect(existsSync(helloLogs)).toBe(false);
    expect(existsSync(join(platform.dataDir, 'git', 'repos', `${app.id}.git`))).toBe(false);
    expect(processesUnder(slugs).length).toBeGreaterThan(0);
    expect((await platform.http('hello')).status).toBe(404);
    await fails(['releases', '-a', 'hello'], 'APP_NOT_FOUND');
    expect(JSON.parse((await ok(['apps', '--json'])).stdout).map((a: { name: string }) => a.name)).toEqual(['typed']);
    expect(readdirSync(slugs)).toHaveLength(1);
    expect(existsSync(join(platform.dataDir, 'cache'))).toBe(true);
    expect(readdirSync(join(platform.dataDir, 'cache'))).toHaveLength(1);
  });
});
