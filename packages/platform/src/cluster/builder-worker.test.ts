import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirLayout, slugPath } from '@dozen/contracts/node';
import { createBuilder } from '../build-wiring.js';
import { runCommand } from '../build/command-runner.js';
import { LazyBuilder } from '../build/lazy-builder.js';
import { digestTree } from '../build/slug-digest.js';
import { parseConfig } from '../config.js';
import type { App, BuildPhase } from '../core/model.js';
import type { BuildRequest } from '../core/ports/build.js';
import { createApp } from '../core/use-cases/apps.js';
import { buildGraph, type PlatformGraph } from '../main.js';
import { NO_APP_NETWORKS } from '../test-support/no-app-networks.js';
import { startClusterApi, type ClusterApi } from '../test-support/cluster-api.js';
import { InProcessNotifier } from '../test-support/in-process-notifier.js';
import { PostgresDatabases } from '../test-support/postgres-databases.js';
import { ArtefactClient } from './artefact-client.js';
import { storeConfigSealing } from './build-job-payload.js';
import { BuildJobs } from './build-jobs.js';
import { startBuilderWorker, type BuilderWorker } from './builder-worker.js';
import { QueuedBuilder } from './queued-builder.js';
import { ensureSlug, slugArtefact, sourceArtefact } from './slug-transfer.js';

/**
 * The builder role for real (issue 19): an api on PostgreSQL queues a build (QueuedBuilder), a
 * builder worker with its own data dir takes it, fetches the source through the api's artefact
 * routes, builds with the real slug builder (createBuilder), uploads the slug and records the
 * result, which the api's build() answers. The builders here run build commands unsandboxed (as
 * the platform's user); the sandbox is the slug builder's own business.
 */
const repo = join(import.meta.dirname, '..', '..', '..', '..');
const root = mkdtempSync(join(tmpdir(), 'dozen-builder-worker-'));
const databases = new PostgresDatabases();
const notifier = new InProcessNotifier();
let api: ClusterApi;
let graph: PlatformGraph;
let jobs: BuildJobs;
let queued: QueuedBuilder;
let app: App;
const workers: BuilderWorker[] = [];
const STALE_MS = 2000;

beforeAll(async () => {
  await databases.start();
  graph = await buildGraph(parseConfig({ DOZEN_DATA_DIR: join(root, 'api'), DATABASE_URL: await databases.fresh(), DOZEN_NETWORK_ISOLATION: NO_APP_NETWORKS }, process.execPath));
  api = await startClusterApi(graph);
  jobs = new BuildJobs(graph.store.kysely, notifier, { staleMs: STALE_MS, pollMs: 200 });
  queued = new QueuedBuilder({ jobs, artefacts: api.artefacts, sealing: storeConfigSealing(graph.store), scratchDir: join(root, 'api-scratch'), local: graph.deps.builder });
  app = await createApp({ ...graph.deps, actor: 'admin' }, 'shop');
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.crash();
  await api?.close();
  await graph?.runtime.shutdown();
  await graph?.store.close();
  await databases.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** A builder role with a data dir of its own (DOZEN_BUILDPACK_DIRS: `buildpackDirs`). */
function builderRole(name: string, buildpackDirs: string[] = []): BuilderWorker {
  const dataDir = join(root, name);
  const config = parseConfig({ DOZEN_DATA_DIR: dataDir, ...(buildpackDirs.length > 0 ? { DOZEN_BUILDPACK_DIRS: buildpackDirs.join(':') } : {}) }, process.execPath);
  const dirs = dataDirLayout(dataDir);
  const builder = new LazyBuilder(() => createBuilder(config, dirs, runCommand));
  const worker = startBuilderWorker({
    workerId: name, jobs, client: new ArtefactClient([api.url], api.clusterToken), builder, sealing: storeConfigSealing(graph.store), dirs, heartbeatMs: 300, pollMs: 200,
  });
  workers.push(worker);
  return worker;
}

function request(source: string, extra: Partial<BuildRequest> = {}): BuildRequest & { lines: string[]; phases: BuildPhase[]; warnings: string[]; picked: string[] } {
  const lines: string[] = [];
  const phases: BuildPhase[] = [];
  const warnings: string[] = [];
  const picked: string[] = [];
  return {
    app, buildId: `b-${Math.random().toString(36).slice(2, 10)}`, source: { location: source, dispose: async () => undefined },
    config: { GREETING: 'hello from the api' }, output: { line: (text) => lines.push(text) },
    user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, buildpacks: [], signal: new AbortController().signal,
    phase: (p) => phases.push(p), warn: (text) => warnings.push(text), chosen: (b) => picked.push(b), lines, phases, warnings, picked, ...extra,
  } as BuildRequest & { lines: string[]; phases: BuildPhase[]; warnings: string[]; picked: string[] };
}

async function waitFor(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** A buildpack whose compile sleeps for the app's NAP config var (seconds), then leaves a file. */
function napBuildpack(): { buildpacks: string; nap: string } {
  const buildpacks = join(root, 'buildpacks-nap');
  const nap = join(buildpacks, 'nap');
  mkdirSync(join(nap, 'bin'), { recursive: true });
  writeFileSync(join(nap, 'bin', 'detect'), '#!/bin/sh\necho Nap\n', { mode: 0o755 });
  writeFileSync(join(nap, 'bin', 'release'), '#!/bin/sh\necho "--- {}"\n', { mode: 0o755 });
  writeFileSync(join(nap, 'bin', 'compile'), '#!/bin/sh\necho napping\nsleep "$(cat "$3/NAP")"\necho "$(cat "$3/NAP")" > "$1/napped"\n', { mode: 0o755 });
  return { buildpacks, nap };
}

describe('the builder role on PostgreSQL', () => {
  it('builds examples/node-web from a queued job through the api\'s artefact routes; the slug is stored and a runtime host unpacks the same tree', async () => {
    builderRole('builder-a');
    const source = join(root, 'source-node-web');
    cpSync(join(repo, 'examples', 'node-web'), source, { recursive: true });
    const req = request(source, { scorecard: { commit: null, config: { GREETING: 'hello from the api' } } });
    const built = await queued.build(req);
    expect(built.processTypes).toMatchObject({ web: expect.any(String), worker: expect.any(String) });
    expect(built.buildpack).toBe('node');
    expect(built.checks?.length).toBeGreaterThan(0);
    expect(req.lines.join('\n')).toMatch(/Node\.js app detected/);
    expect(req.lines.join('\n')).toMatch(/Discovering process types/);
    expect(req.phases.map((p) => p.name)).toEqual(expect.arrayContaining(['detect', 'slug']));
    expect(req.picked).toEqual(['node']);
    // The slug is in the store, and the source is gone from it.
    const stored = await api.artefacts.open(slugArtefact(app.id, built.slugId));
    expect(stored).not.toBeNull();
    expect(await api.artefacts.open(sourceArtefact(req.buildId))).toBeNull();
    // Built on builder-a's disk; the job, ended and read, is gone from the queue.
    expect(existsSync(slugPath(dataDirLayout(join(root, 'builder-a')), app.id, built.slugId))).toBe(true);
    expect(await jobs.state(req.buildId)).toBeNull();
    // A runtime host (no builder there) fetches it: the same files as the builder made.
    const host = dataDirLayout(join(root, 'runtime-host'));
    const client = new ArtefactClient([api.url], api.clusterToken);
    expect(await ensureSlug({ client, layout: host, appId: app.id, slugId: built.slugId, owner: null })).toBe('fetched');
    expect(await ensureSlug({ client, layout: host, appId: app.id, slugId: built.slugId, owner: null })).toBe('present');
    const unpacked = slugPath(host, app.id, built.slugId);
    expect((await digestTree(unpacked)).digest).toBe(built.digest);
    expect(readFileSync(join(unpacked, 'server.js'), 'utf8')).toBe(readFileSync(join(repo, 'examples', 'node-web', 'server.js'), 'utf8'));
    await stored!.body[Symbol.asyncIterator]().return?.();
    // A promotion's copy, as a job: the same files for another app, stored as that app's slug.
    const target = await createApp({ ...graph.deps, actor: 'admin' }, 'shop-production');
    const copied = await queued.copySlug({ appId: app.id, slugId: built.slugId }, { appId: target.id, slugId: 'copy-1' });
    expect(copied.digest).toBe(built.digest);
    expect(await api.artefacts.open(slugArtefact(target.id, 'copy-1'))).toMatchObject({ sha256: expect.any(String) });
  }, 120_000);

  it('takes the job again on another builder when the first dies mid-build (heartbeats stop, its claim dropped): attempt 2 succeeds', async () => {
    const buildpacks = join(root, 'buildpacks');
    const slow = join(buildpacks, 'slow');
    mkdirSync(join(slow, 'bin'), { recursive: true });
    const marker = join(root, 'first-compile-started');
    writeFileSync(join(slow, 'bin', 'detect'), '#!/bin/sh\necho Slow\n', { mode: 0o755 });
    writeFileSync(join(slow, 'bin', 'release'), '#!/bin/sh\necho "--- {}"\n', { mode: 0o755 });
    // The first compile sleeps (its builder dies meanwhile), the second goes through.
    writeFileSync(join(slow, 'bin', 'compile'), `#!/bin/sh\necho "-----> slow compile"\nif [ ! -f ${marker} ]; then touch ${marker}; echo "sleeping"; sleep 120; fi\necho "done compiling"\n`, { mode: 0o755 });
    const first = builderRole('builder-dies', [buildpacks]);
    for (const worker of workers.filter((w) => w !== first)) await worker.stop(0);
    const source = join(root, 'source-slow');
    mkdirSync(source);
    writeFileSync(join(source, 'Procfile'), 'web: node server.js\n');
    writeFileSync(join(source, 'server.js'), 'console.log("hi")\n');
    const req = request(source, { buildpacks: [slow] });
    let failure: unknown = null;
    const building = queued.build(req);
    building.catch((error: unknown) => (failure = error));
    await waitFor('the first compile', () => req.lines.some((line) => line.trim() === 'sleeping') || failure !== null);
    expect(failure).toBeNull();
    expect(first.current).toBe(req.buildId);
    await first.crash();
    expect((await jobs.state(req.buildId))).toMatchObject({ state: 'running', attempts: 1, claimedBy: 'builder-dies' });
    const startedAt = Date.now();
    builderRole('builder-takes-over', [buildpacks]);
    const built = await building;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(STALE_MS - 500);
    expect(built.processTypes).toEqual({ web: 'node server.js' });
    expect(req.lines.map((line) => line.trim())).toContain('done compiling');
    expect(req.warnings.join('\n')).toMatch(/builder of this job was lost: attempt 2 of 2/);
    expect(await jobs.state(req.buildId)).toBeNull();
    expect(existsSync(slugPath(dataDirLayout(join(root, 'builder-takes-over')), app.id, built.slugId))).toBe(true);
    expect(await api.artefacts.open(slugArtefact(app.id, built.slugId))).not.toBeNull();
  }, 120_000);

  it('on SIGTERM (stop) takes no new job, lets the running build finish within its grace, and gives back one that outlasts it', async () => {
    for (const worker of workers) await worker.crash();
    const { buildpacks, nap } = napBuildpack();
    const source = (name: string) => {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n');
      return dir;
    };
    const napping = (req: { lines: string[] }) => req.lines.some((line) => line.trim() === 'napping');
    // A build that ends within the grace: it finishes and is recorded; the next job stays queued.
    const worker = builderRole('builder-stops', [buildpacks]);
    const short = request(source('source-short'), { buildpacks: [nap], config: { NAP: '1' } });
    const shortBuild = queued.build(short);
    await waitFor('the short build', () => napping(short));
    const stopped = worker.stop(30_000);
    const next = request(source('source-next'), { buildpacks: [nap], config: { NAP: '0' } });
    const nextBuild = queued.build(next);
    await stopped;
    expect((await shortBuild).processTypes).toEqual({ web: 'node server.js' });
    expect(await jobs.state(next.buildId)).toMatchObject({ state: 'queued', attempts: 0 });
    // A build that outlasts the grace: killed and given back to the queue at once, where another builder takes it.
    const second = builderRole('builder-stops-too', [buildpacks]);
    await nextBuild;
    const long = request(source('source-long'), { buildpacks: [nap], config: { NAP: '120' } });
    const longBuild = queued.build(long);
    longBuild.catch(() => undefined);
    await waitFor('the long build', () => napping(long));
    await second.stop(300);
    expect(await jobs.state(long.buildId)).toMatchObject({ state: 'queued', attempts: 1, claimedBy: null });
    await jobs.cancel(long.buildId);
    await expect(longBuild).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
  }, 120_000);

  it('cancels: the api\'s request is aborted, the job is cancelled and its builder kills the build and takes the next job', async () => {
    for (const worker of workers) await worker.crash();
    const { buildpacks, nap } = napBuildpack();
    const worker = builderRole('builder-cancelled', [buildpacks]);
    const source = join(root, 'source-cancelled');
    mkdirSync(source);
    writeFileSync(join(source, 'Procfile'), 'web: node server.js\n');
    const abort = new AbortController();
    const long = request(source, { buildpacks: [nap], config: { NAP: '120' }, signal: abort.signal });
    const building = queued.build(long);
    building.catch(() => undefined);
    await waitFor('the long build', () => long.lines.some((line) => line.trim() === 'napping'));
    const reason = new Error('cancelled by the test');
    abort.abort(reason);
    await expect(building).rejects.toBe(reason);
    expect(await jobs.state(long.buildId)).toBeNull();
    // The builder saw it at its next heartbeat: the build is killed (not slept out), the builder free again.
    await waitFor('the builder to let go', () => worker.current === null, 10_000);
    const next = request(source, { buildpacks: [nap], config: { NAP: '0' } });
    expect((await queued.build(next)).processTypes).toEqual({ web: 'node server.js' });
  }, 120_000);
});
