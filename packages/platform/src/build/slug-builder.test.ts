import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { App, BuildPhase } from '../core/model.js';
import type { BuildRequest } from '../core/ports/build.js';
import { procfileBuildpack } from './buildpacks/procfile/procfile-buildpack.js';
import { runCommand, type CommandSpec } from './command-runner.js';
import { SlugBuilder } from './slug-builder.js';

const root = mkdtempSync(join(tmpdir(), 'dozen-slug-builder-'));
const fixtures = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const app: App = { id: 'app-1', name: 'demo', createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null };
const specs: CommandSpec[] = [];
const builder = new SlugBuilder({
  slugsDir: join(root, 'slugs'),
  cacheDir: join(root, 'cache'),
  workDir: join(root, 'work'),
  buildpacks: [procfileBuildpack],
  buildpackDirs: [fixtures],
  sharedReads: [join(root, 'runtimes')],
  nodeBinDir: dirname(process.execPath),
  caFile: null,
  stack: 'heroku-22',
  timeoutMs: 60_000,
  runner: (spec) => {
    specs.push(spec);
    return runCommand(spec);
  },
});

/** A process that still runs (a zombie has ended: only its exit status waits to be collected). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls `read` until `done` holds (every 20 ms, for at most 10 s). */
async function waitFor<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 20))) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after 10 s: ${JSON.stringify(value)}`);
  }
}

function source(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'src-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function request(location: string, extra: Partial<BuildRequest> = {}): BuildRequest & { lines: string[]; phases: BuildPhase[] } {
  const lines: string[] = [];
  const phases: BuildPhase[] = [];
  return {
    app,
    buildId: `b-${Math.random().toString(36).slice(2)}`,
    source: { location, dispose: async () => undefined },
    config: { SECRET_TOKEN: 'shh', PATH: '/evil' },
    output: { line: (text) => lines.push(text) },
    // The plain runner these tests use runs as the platform's user whatever this says.
    user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
    buildpacks: [],
    signal: new AbortController().signal,
    phase: (p) => phases.push(p),
    warn: () => undefined,
    lines,
    phases,
    ...extra,
  };
}

const appJson = JSON.stringify({
  env: { A: { value: '1' } },
  formation: { worker: { quantity: 2 } },
  healthchecks: { web: [{ type: 'startup', name: 'ready', path: '/ready', attempts: 2, timeout: 3, wait: 1 }] },
});

describe('SlugBuilder', () => {
  it('builds a slug with app.json health checks in its runtime, the manifest, phases, and a content digest', async () => {
    const req = request(source({ Procfile: 'web: node server.js\nworker: node worker.js\n', 'app.json': appJson, 'server.js': '' }));
    const slug = await builder.build(req);
    expect(slug.runtime).toEqual({ nodeBinDir: null, stack: 'heroku-22', healthchecks: { web: [{ type: 'startup', name: 'ready', path: '/ready', attempts: 2, timeoutSeconds: 3, waitSeconds: 1, initialDelaySeconds: 0 }] } });
    expect(slug.manifest).toEqual({ env: { A: { value: '1', generator: null, required: true } }, formation: { worker: 2 }, postdeploy: null, cron: [] });
    expect(slug.processTypes).toEqual({ web: 'node server.js', worker: 'node worker.js' });
    expect(slug.reused).toBe(false);
    expect(slug.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(req.phases.map((p) => p.name)).toEqual(['detect', 'slug']);
    expect(existsSync(join(root, 'slugs', app.id, slug.slugId, 'server.js'))).toBe(true);
    expect(readdirSync(join(root, 'work'))).toEqual([]);

    const again = await builder.build(request(source({ Procfile: 'web: node server.js\nworker: node worker.js\n', 'app.json': appJson, 'server.js': '' })));
    expect(again).toMatchObject({ slugId: slug.slugId, digest: slug.digest, reused: true });
    const changed = await builder.build(request(source({ Procfile: 'web: node server.js\nworker: node worker.js\n', 'app.json': appJson, 'server.js': '//' })));
    expect(changed.slugId).not.toBe(slug.slugId);
  });

  it('never reads a Procfile through a symlink (a build could point it at a secret)', async () => {
    const dir = source({ 'hello.txt': 'x', 'server.js': '' });
    symlinkSync('/etc/passwd', join(dir, 'Procfile'));
    const req = request(dir, { buildpacks: [join(fixtures, 'buildpacks', 'hello')] });
    await expect(builder.build(req)).rejects.toThrow('Procfile is a symbolic link; the platform reads it only as a regular file.');
    expect(req.lines.join('\n')).not.toContain('root:');
  });

  it('runs external buildpacks with a clean env, config only in ENV_DIR, and explicit read/write dirs', async () => {
    specs.length = 0;
    const dir = source({ 'hello.txt': 'x', 'server.js': '' });
    const req = request(dir, { buildpacks: [join(fixtures, 'buildpacks', 'hello')] });
    const slug = await builder.build(req);
    expect(slug.processTypes).toEqual({ web: 'node server.js' });
    const compile = specs.find((s) => s.argv[0].endsWith('/bin/compile')) as CommandSpec;
    expect(compile.env).not.toHaveProperty('SECRET_TOKEN');
    expect(compile.env.PATH).not.toContain('/evil');
    expect(Object.keys(compile.env).sort()).toEqual(['CI', 'HOME', 'LANG', 'PATH', 'STACK', 'npm_config_update_notifier']);
    expect(compile.argv[1]).toBe(dir);
    expect(compile.argv[2]).toMatch(new RegExp(`^${join(root, 'cache', app.id)}/buildpack-[0-9a-f]{16}$`));
    expect(compile.argv[3]).toMatch(/\/env$/);
    expect(compile.writes).toEqual(expect.arrayContaining([dir]));
    expect(compile.reads).toEqual(expect.arrayContaining([join(root, 'runtimes')]));
    expect(req.lines.join('\n')).toContain('greeting from ENV_DIR: unset');
  });

  it('stops at once when the build is cancelled, killing the running command', async () => {
    const dir = source({ 'hello.txt': 'x' });
    const bp = join(root, 'slow-bp');
    cpSync(join(fixtures, 'buildpacks', 'hello'), bp, { recursive: true });
    // The compile step and a child of its own; both write their pid once running.
    const pids = join(root, 'compile-pids');
    writeFileSync(join(bp, 'bin', 'compile'), `#!/usr/bin/env bash\nsleep 30 & echo $! >> ${pids}\necho $$ >> ${pids}\nwait\n`, { mode: 0o755 });
    const local = new SlugBuilder({ ...(builder as unknown as { options: ConstructorParameters<typeof SlugBuilder>[0] }).options, buildpackDirs: [root] });
    const controller = new AbortController();
    const started = Date.now();
    const build = local.build(request(dir, { buildpacks: [bp], signal: controller.signal }));
    const running = await waitFor(() => (existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').map(Number) : []), (list) => list.length === 2);
    expect(running.filter(alive)).toEqual(running);
    controller.abort(new Error('cancelled by the test'));
    await expect(build).rejects.toThrow('cancelled by the test');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(running.filter(alive)).toEqual([]);
  });
});
