import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type RunningCli } from './support/dev-process.js';
import { freePortRange } from './support/free-ports.js';
import { exampleRepo, type Git } from './support/git.js';
import { httpGet, isAlive, ROOT, TestPlatform } from './support/platform.js';

/** Issue 17 acceptance 1 (`dozen dev`, no platform needed) and 2 (the app from the git remote), and .env both ways. */
const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dev-'));
const running: RunningCli[] = [];

/** A copy of examples/node-web with a .env, as a developer has it. */
function nodeWeb(name: string, dotenv = 'GREETING="Hello from .env"\n# a comment\nexport WORK_INTERVAL_MS=200\n'): string {
  const dir = join(scratch, name);
  cpSync(join(ROOT, 'examples', 'node-web'), dir, { recursive: true });
  writeFileSync(join(dir, '.env'), dotenv);
  return dir;
}

const devEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, DOZEN_DATA_DIR: join(scratch, 'no-platform'), NO_COLOR: '1', ...extra });

function dev(args: string[], cwd: string, extra: Record<string, string> = {}): RunningCli {
  const cli = startCli(args, cwd, devEnv(extra));
  running.push(cli);
  return cli;
}

/** The ports `dozen dev` gives web.1-3, the next type's two instances, the third type's first. */
const DEV_PORTS = [0, 1, 2, 100, 101, 200];

const json = async (port: number) => JSON.parse((await httpGet(port, 'localhost', '/')).body) as { greeting: string; process: string };
const pidOf = async (cli: RunningCli, name: string, from = 0) => Number((await cli.waitFor(new RegExp(`${name.replace('.', '\\.')} started with pid (\\d+)`), from))[1]);

afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('dozen dev: the Procfile here, like the platform runs it', () => {
  it('1a. answers on :5000 with the .env values, the worker on 5100 with its output prefixed; Ctrl-C stops all within the grace', async () => {
    const dir = nodeWeb('default-port');
    const cli = dev(['dev', '--grace', '5'], dir);
    const web = await pidOf(cli, 'web.1');
    const worker = await pidOf(cli, 'worker.1');
    await cli.waitFor(/^web\.1 +\| listening on port 5000 as web\.1/m);
    expect(await json(5000)).toMatchObject({ greeting: 'Hello from .env', process: 'web.1' });
    expect(cli.output()).toContain('worker.1 started with pid');
    expect(cli.output()).toContain('(PORT 5100): node worker.js');
    // WORK_INTERVAL_MS from the .env: a job every 200 ms, each line after the process's prefix.
    await cli.waitFor(/^worker\.1 \| worker\.1 finished job 2$/m);
    cli.child.kill('SIGINT');
    const { code, ms } = await cli.exited();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(cli.output()).toMatch(/^web\.1 +\| SIGTERM received: closing the server$/m);
    expect(cli.output()).toMatch(/^worker\.1 \| worker\.1 stopping after \d+ jobs$/m);
    expect(isAlive(web) || isAlive(worker)).toBe(false);
  });

  it('1b. a process that ignores SIGTERM is killed after the grace period; one exiting stops all with its code', async () => {
    const dir = nodeWeb('grace');
    writeFileSync(join(dir, 'Procfile'), `web: node server.js\nstubborn: node -e "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000)"\nrelease: echo release-phase-ran\n`);
    const port = await freePortRange(DEV_PORTS);
    const cli = dev(['dev', '--port', String(port), '--grace', '2', '--formation', 'web=2'], dir);
    const stubborn = await pidOf(cli, 'stubborn.1');
    await cli.waitFor(/^stubborn\.1 \| up$/m);
    await cli.waitFor(/^web\.2 +\| listening on port /m);
    expect(cli.output()).toContain(`web.2 started with pid`);
    expect(cli.output()).toContain(`(PORT ${port + 1})`);
    expect(cli.output()).toContain(`(PORT ${port + 100})`);
    cli.child.kill('SIGTERM');
    const { code, ms } = await cli.exited();
    expect(code).toBe(0);
    expect(cli.output()).toContain('stubborn.1 | ignoring SIGTERM');
    expect(cli.output()).toContain('stubborn.1 exited with signal SIGKILL');
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(6_000);
    expect(isAlive(stubborn)).toBe(false);
    expect(cli.output()).not.toContain('release-phase-ran');

    // A second signal does not wait for the grace period.
    const impatient = dev(['dev', 'stubborn', '--port', String(port), '--grace', '30'], dir);
    await impatient.waitFor(/^stubborn\.1 \| up$/m);
    impatient.child.kill('SIGINT');
    await impatient.waitFor(/^stubborn\.1 \| ignoring SIGTERM$/m);
    impatient.child.kill('SIGINT');
    const second = await impatient.exited();
    expect(second.ms, impatient.output()).toBeLessThan(5_000);
    expect(impatient.output()).toContain('stubborn.1 exited with signal SIGKILL');

    writeFileSync(join(dir, 'Procfile'), 'web: node server.js\ncrash: node -e "setTimeout(() => process.exit(7), 300)"\n');
    const crashing = dev(['dev', '--port', String(port), '--grace', '5'], dir);
    const result = await crashing.exited();
    expect(result.code).toBe(7);
    expect(crashing.output()).toContain('crash.1 exited with code 7');
    expect(crashing.output()).toMatch(/web\.1 exited with (code 0|signal SIGTERM)/);
  });

  it('1c. --watch restarts the processes when a file changes (a new pid and boot line)', async () => {
    const dir = nodeWeb('watch');
    const port = await freePortRange(DEV_PORTS);
    const cli = dev(['dev', 'web', '--port', String(port), '--watch', '--grace', '5'], dir);
    const first = await pidOf(cli, 'web.1');
    await cli.waitFor(/listening on port/);
    const mark = cli.output().length;
    writeFileSync(join(dir, 'node_modules-ignored.txt'), 'x');
    rmSync(join(dir, 'node_modules-ignored.txt'));
    appendFileSync(join(dir, 'server.js'), "\nconsole.log('watch edit 2');\n");
    await cli.waitFor(/server\.js changed: restarting/, mark);
    const second = await pidOf(cli, 'web.1', mark);
    await cli.waitFor(/watch edit 2/, mark);
    expect(second).not.toBe(first);
    expect(isAlive(first)).toBe(false);
    expect((await json(port)).greeting).toBe('Hello from .env');
    expect(cli.output()).not.toContain('worker.1 started');
    // A crash (a broken edit) waits for the next change instead of ending dev; the fix starts it again.
    const good = readFileSync(join(dir, 'server.js'), 'utf8');
    const broken = cli.output().length;
    writeFileSync(join(dir, 'server.js'), `${good}\nthis is not javascript\n`);
    await cli.waitFor(/web\.1 exited with code 1/, broken);
    await cli.waitFor(/waiting for a file change/, broken);
    expect(cli.child.exitCode).toBeNull();
    const fixed = cli.output().length;
    writeFileSync(join(dir, 'server.js'), good);
    await cli.waitFor(/listening on port/, fixed);
    expect((await json(port)).greeting).toBe('Hello from .env');
  });

  it('1d. dozen dev --build builds with the platform buildpack into .dozen/dev-build and runs the built slug', async () => {
    const dir = nodeWeb('build');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts.build = `node -e "require('fs').writeFileSync('built.txt', 'made by the build ' + process.env.GREETING)"`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    writeFileSync(join(dir, 'Procfile'), 'web: node server.js\nartefact: cat built.txt; echo; pwd; echo "home=$HOME"; sleep 60\n');
    const port = await freePortRange(DEV_PORTS);
    const cli = dev(['dev', '--build', '--port', String(port), '--grace', '5'], dir);
    await cli.waitFor(/-----> Node\.js app detected/, 0, 120_000);
    await cli.waitFor(/^artefact\.1 \| made by the build Hello from \.env$/m, 0, 120_000);
    const slug = (await cli.waitFor(/^artefact\.1 \| (\/.*)$/m))[1] as string;
    expect(slug.startsWith(join(dir, '.dozen', 'dev-build', 'slugs'))).toBe(true);
    expect(cli.output()).toContain(`artefact.1 | home=${slug}`);
    expect(existsSync(join(dir, 'built.txt'))).toBe(false);
    expect(existsSync(join(slug, 'built.txt'))).toBe(true);
    expect(readFileSync(join(dir, '.dozen', '.gitignore'), 'utf8')).toContain('*');
    await cli.waitFor(/listening on port/);
    expect((await json(port)).greeting).toBe('Hello from .env');
    cli.child.kill('SIGINT');
    expect((await cli.exited()).code).toBe(0);
  });

  it('1e. dev:run runs one command with the same env, no shell, its exit code passed through; a bad .env line stops everything', async () => {
    const dir = nodeWeb('run');
    const cli = dev(['dev:run', '--', 'node', '-e', 'console.log(process.env.GREETING, process.env.PORT, process.argv[1]); process.exit(3)', '$HOME;x'], dir);
    const { code } = await cli.exited();
    expect(code).toBe(3);
    expect(cli.output()).toContain('Hello from .env 5000 $HOME;x');

    writeFileSync(join(dir, '.env'), 'GOOD=1\nthis line is bad\n');
    const bad = dev(['dev'], dir);
    expect((await bad.exited()).code).toBe(1);
    expect(bad.output()).toContain('.env line 2: "this line is bad" is not KEY=value.');
    expect(bad.output()).toContain('(ENV_FILE_INVALID)');
    expect(bad.output()).not.toContain('started with pid');

    writeFileSync(join(dir, '.env'), 'GOOD=1\n');
    writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n\nworker node worker.js\n');
    const procfile = dev(['dev'], dir);
    expect((await procfile.exited()).code).toBe(1);
    expect(procfile.output()).toContain('Procfile line 3 ("worker node worker.js") is not `type: command`.');
    expect(procfile.output()).not.toContain('started with pid');
  });
});

describe('the app from the directory, and .env both ways, against a real platform', () => {
  let platform: TestPlatform;
  let git: Git;
  let repo: string;
  const dozen = async (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => {
    const result = await platform.cli(args, { cwd: repo, ...options });
    expect(result.code, `dozen ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const versions = async () => (JSON.parse(await dozen(['releases', '-a', 'devapp', '--json'])) as unknown[]).length;

  beforeAll(async () => {
    platform = await TestPlatform.start();
    repo = join(scratch, 'repo');
    git = await exampleRepo(platform, repo);
    await dozen(['apps:create', 'devapp']);
    await dozen(['apps:create', 'devapp-staging']);
    await dozen(['git:remote', '-a', 'devapp']);
    await git.ok(['push', 'dozen', 'main']);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('2. config, ps and logs work without -a in a repository with a dozen remote; -r, DOZEN_APP, several candidates', async () => {
    await dozen(['config:set', 'GREETING=from the remote', '-a', 'devapp']);
    expect(await dozen(['config'])).toContain('=== devapp config vars');
    expect(await dozen(['config'])).toContain('GREETING: from the remote');
    expect(await dozen(['ps'])).toMatch(/^web\.1\b/m);
    expect(await dozen(['logs', '-n', '500'])).toMatch(/app\[web\.1\]: listening on port \d+ as web\.1 \(v1\)/);
    await dozen(['git:remote', '-a', 'devapp-staging', '-r', 'staging']);
    // The staging app is not deployed: what ps and logs show there is not devapp's.
    expect(await dozen(['ps', '-r', 'staging'])).not.toMatch(/^web\.1\b/m);
    expect(await dozen(['logs', '-n', '500', '-r', 'staging'])).not.toContain('listening on port');
    expect(await dozen(['config'])).toContain('=== devapp config vars');
    expect(await dozen(['config', '-r', 'staging'])).toContain('=== devapp-staging config vars');
    expect(await dozen(['config'], { env: { DOZEN_APP: 'devapp-staging' } })).toContain('=== devapp-staging config vars');
    expect(await dozen(['config', '-a', 'devapp'], { env: { DOZEN_APP: 'devapp-staging' } })).toContain('=== devapp config vars');
    await git.ok(['remote', 'rename', 'dozen', 'prod']);
    try {
      const several = await platform.fails(['config'], 'APP_NOT_GIVEN', { cwd: repo });
      expect(several.stderr).toContain('the git remotes here point at several apps: devapp (remote prod), devapp-staging (remote staging)');
      expect((await platform.fails(['config', '-r', 'nope'], 'APP_NOT_GIVEN', { cwd: repo })).stderr).toContain('no git remote "nope"');
    } finally {
      await git.ok(['remote', 'rename', 'prod', 'dozen']);
    }
    const outside = await platform.fails(['config'], 'CLI_USAGE', { cwd: scratch });
    expect(outside.stderr).toContain('No app given.');
  });

  it('completion:apps lists the app names for shell completion, and quietly nothing when not logged in', async () => {
    expect((await dozen(['completion:apps'])).split('\n').filter((l) => l !== '').sort()).toEqual(['devapp', 'devapp-staging']);
    const refused = await platform.cli(['completion:apps'], { cwd: repo, env: { DOZEN_API_TOKEN: 'not-a-token' } });
    expect(refused).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('config:pull asks first, keeps local values unless --overwrite, and writes a private file', async () => {
    const file = join(repo, '.env');
    writeFileSync(file, 'GREETING=local value\nLOCAL_ONLY=1\n');
    expect(await dozen(['config:pull'], { input: 'n\n' })).toContain('Nothing written to .env.');
    expect(readFileSync(file, 'utf8')).toBe('GREETING=local value\nLOCAL_ONLY=1\n');
    expect(await dozen(['config:pull'], { input: 'y\n' })).toContain('kept the local values of GREETING');
    expect(readFileSync(file, 'utf8')).toBe('GREETING="local value"\nLOCAL_ONLY=1\n');
    await dozen(['config:pull', '--overwrite', '--yes', '--file', 'pulled.env']);
    expect(readFileSync(join(repo, 'pulled.env'), 'utf8')).toBe('GREETING="from the remote"\n');
    expect(statSync(join(repo, 'pulled.env')).mode & 0o777).toBe(0o600);
  });

  it('config:push makes one release with the diff; --dry-run makes none; a bad line pushes nothing', async () => {
    writeFileSync(join(repo, 'push.env'), 'GREETING="pushed"\nNEW_ONE=1\nNEW_TWO="a b"\nPORT=3000\n');
    const before = await versions();
    const dry = await dozen(['config:push', '--file', 'push.env', '--dry-run']);
    expect(dry).toContain('~ GREETING');
    expect(dry).toContain('+ NEW_ONE');
    expect(dry).toContain('Nothing was changed (dry run).');
    expect(dry).toContain('Not pushed: PORT (set by the platform for every process).');
    expect(await versions()).toBe(before);
    const pushed = await dozen(['config:push', '--file', 'push.env']);
    expect(pushed).toMatch(/released v\d+ of devapp/);
    expect(await versions()).toBe(before + 1);
    expect(JSON.parse(await dozen(['config', '--json']))).toMatchObject({ GREETING: 'pushed', NEW_ONE: '1', NEW_TWO: 'a b' });
    expect(await dozen(['config:push', '--file', 'push.env'])).toContain('no changes, no new release');
    writeFileSync(join(repo, 'bad.env'), 'A=1\nB="never closed\n');
    const bad = await platform.fails(['config:push', '--file', 'bad.env'], 'ENV_FILE_INVALID', { cwd: repo });
    expect(bad.stderr).toContain('bad.env line 2: the double quote of B is never closed.');
    expect(await versions()).toBe(before + 1);
  });

  it('config:edit opens $EDITOR (argv, no shell) on a 0600 file and makes one release; a failed or no-op edit makes none', async () => {
    const editor = join(scratch, 'editor.js');
    writeFileSync(editor, [
      "const fs = require('fs');",
      'const file = process.argv[2];',
      "fs.writeFileSync(process.env.EDIT_LOG, String(fs.statSync(file).mode & 0o777));",
      "const text = fs.readFileSync(file, 'utf8').replace(/^NEW_ONE=.*\\n/m, '').replace('GREETING=pushed', 'GREETING=\"edited\\\\nline\"');",
      "fs.writeFileSync(file, text + 'ADDED=yes\\n');",
    ].join('\n'));
    const before = await versions();
    const log = join(scratch, 'edit.log');
    const out = await dozen(['config:edit'], { env: { EDITOR: `${process.execPath} ${editor}`, EDIT_LOG: log } });
    expect(readFileSync(log, 'utf8')).toBe(String(0o600));
    expect(out).toContain('- NEW_ONE');
    expect(await versions()).toBe(before + 1);
    const config = JSON.parse(await dozen(['config', '--json'])) as Record<string, string>;
    expect(config).toMatchObject({ GREETING: 'edited\nline', ADDED: 'yes', NEW_TWO: 'a b' });
    expect(config.NEW_ONE).toBeUndefined();
    await platform.fails(['config:edit'], 'EDITOR_FAILED', { cwd: repo, env: { EDITOR: 'false' } });
    expect(await dozen(['config:edit'], { env: { EDITOR: 'true' } })).toContain('no changes, no new release');
    expect(await versions()).toBe(before + 1);
  });
});
