import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeRunData, encodeRunData, RunChannel } from '../../packages/contracts/src/index.js';
import { adminTokenPath } from '../../packages/contracts/src/node/index.js';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

interface ReleaseInfo {
  version: number;
  status: string;
  current: boolean;
  failure: string | null;
  description: string;
}

/** Issue 3, acceptance 3 (the release phase) and app.json. */
describe('builds: the release phase and app.json', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-rel-'));
  // The apps' "database": a backing service on loopback that records the migrations applied.
  const migrations: string[] = [];
  let database: Server;
  let databaseUrl = '';
  const ok = (args: string[]) => platform.ok(args);
  const fails = (args: string[], code: string) => platform.fails(args, code);
  const json = async <T>(app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as T;
  };
  const releases = async (app: string) => JSON.parse((await ok(['releases', '-a', app, '--json'])).stdout) as ReleaseInfo[];

  beforeAll(async () => {
    database = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST') migrations.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(migrations));
      });
    });
    await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
    databaseUrl = `http://127.0.0.1:${(database.address() as AddressInfo).port}`;
    // The stand-in database is a server on the host's loopback, which an app on its own network
    // cannot reach (runtime-network.test.ts): these apps share the host's network.
    platform = await TestPlatform.start({ DOZEN_NETWORK_ISOLATION: 'off' });
  });
  afterAll(async () => {
    await platform?.destroy();
    database?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs a migration-style release command before the new release serves; its output is in the deploy output and the logs', async () => {
    await ok(['apps:create', 'mig']);
    await ok(['config:set', `DATABASE_URL=${databaseUrl}`, '-a', 'mig']);
    const deploy = await ok(['deploy', join(ROOT, 'test', 'fixtures', 'apps', 'release-phase'), '-a', 'mig']);
    expect(deploy.stdout).toContain('Running release phase of v2: node migrate.js');
    expect(deploy.stdout).toContain('migrating the database for v2 (release.2)');
    expect(deploy.stdout.indexOf('migration done')).toBeLessThan(deploy.stdout.indexOf('web.1: starting'));
    expect(await json('mig')).toEqual({ release: 'v2', migrated: ['v2'] });
    const logs = await eventually(async () => {
      const result = await ok(['logs', '-n', '200', '-a', 'mig']);
      expect(result.stdout).toContain('app[release.2]: migration done');
      return result;
    });
    expect(logs.stdout).toContain('Release phase of v2 started');
    const scale = await fails(['ps:scale', 'release=1', '-a', 'mig'], 'FORMATION_INVALID');
    expect(scale.stderr).toContain('runs once per release');
  });

  it('runs the release phase for a config change too; a failing one fails the release and the old one keeps serving', async () => {
    await ok(['config:set', 'FEATURE=on', '-a', 'mig']);
    expect(migrations).toEqual(['v2', 'v3']);
    const failed = await fails(['config:set', 'MIGRATION_FAIL=1', '-a', 'mig'], 'RELEASE_PHASE_FAILED');
    expect(failed.stderr).toContain('Release v4 failed: its release phase (`node migrate.js`) exited with status 1; v3 is still serving');
    expect(await json('mig')).toEqual({ release: 'v3', migrated: ['v2', 'v3'] });
    expect(JSON.parse((await ok(['config', '-a', 'mig', '--json'])).stdout)).not.toHaveProperty('MIGRATION_FAIL');
  });

  it('a deploy whose release phase fails shows it in the deploy output and in `releases`; nothing changes for the serving release', async () => {
    const app = join(scratch, 'failing-migration');
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'release-phase'), app, { recursive: true });
    writeFileSync(join(app, 'migrate.js'), 'console.log("adding a column"); console.error("ERROR: relation \\"users\\" does not exist"); process.exit(2);\n');
    const deploy = await fails(['deploy', app, '-a', 'mig'], 'RELEASE_PHASE_FAILED');
    expect(deploy.stdout).toContain('ERROR: relation "users" does not exist');
    expect(deploy.stdout).toContain('exited with status 2');
    expect(await json('mig')).toEqual({ release: 'v3', migrated: ['v2', 'v3'] });
    const list = await releases('mig');
    expect(list[0]).toMatchObject({ version: 5, status: 'failed', current: false, failure: 'release phase exited with status 2' });
    expect(list.find((r) => r.current)?.version).toBe(3);
    const text = (await ok(['releases', '-a', 'mig'])).stdout;
    expect(text).toMatch(/v5\s+Deploy \w+\s+failed\s+\(release phase exited with status 2\)/);
    expect((await ok(['builds', '-a', 'mig'])).stdout).toMatch(/failed\s+v5\s+Release v5 failed/);
  });

  it('app.json: required vars stop the deploy, defaults and secrets fill unset vars, formation and postdeploy apply, unknown keys warn', async () => {
    const app = join(scratch, 'with-app-json');
    cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
    const manifest = {
      name: 'node-web',
      colour: 'blue',
      env: { GREETING: { value: 'Hello from app.json' }, SESSION_SECRET: { generator: 'secret' }, API_KEY: { description: 'needed' }, OPTIONAL: { required: false } },
      formation: { web: { quantity: 1 }, worker: { quantity: 1 } },
      scripts: { postdeploy: 'node -e "console.log(\'seeded the database\')"' },
      healthchecks: { web: [{ type: 'startup', path: '/', attempts: 3 }] },
    };
    writeFileSync(join(app, 'app.json'), JSON.stringify(manifest, null, 2));
    await ok(['apps:create', 'manifest']);
    const missing = await fails(['deploy', app, '-a', 'manifest'], 'APP_JSON_ENV_MISSING');
    expect(missing.stderr).toContain('app.json requires config vars that are not set: API_KEY.');
    expect(missing.stdout).toContain('Warning: app.json: unknown key "colour" is ignored');
    await ok(['config:set', 'API_KEY=k', 'GREETING=mine', '-a', 'manifest']);
    const deploy = await ok(['deploy', app, '-a', 'manifest']);
    expect(deploy.stdout).toContain('Running app.json postdeploy');
    expect(deploy.stdout).toContain('seeded the database');
    const config = JSON.parse((await ok(['config', '-a', 'manifest', '--json'])).stdout) as Record<string, string>;
    expect(config.GREETING).toBe('mine');
    expect(config.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(config).not.toHaveProperty('OPTIONAL');
    expect((await releases('manifest'))[0]?.description).toMatch(/\(app\.json set SESSION_SECRET\)$/);
    await eventually(async () => expect((await ok(['ps', '-a', 'manifest'])).stdout).toMatch(/worker\.1:\s+up/));
    const again = await ok(['deploy', app, '-a', 'manifest']);
    expect(again.stdout).not.toContain('postdeploy');
  });

  it('a failing app.json postdeploy is a warning: the release serves, the build succeeded (a push would be accepted)', async () => {
    const app = join(scratch, 'failing-postdeploy');
    cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
    writeFileSync(join(app, 'app.json'), JSON.stringify({ scripts: { postdeploy: 'node -e "console.log(\'seeding...\'); process.exit(4)"' } }));
    await ok(['apps:create', 'seedfail']);
    const deploy = await ok(['deploy', app, '-a', 'seedfail']);
    expect(deploy.stdout).toContain('seeding...');
    expect(deploy.stdout).toMatch(/ ! {5}app\.json scripts\.postdeploy exited with status 4; release v1 is serving\./);
    expect(await json('seedfail')).toMatchObject({ release: 'v1' });
    const info = (await ok(['builds:info', '-a', 'seedfail'])).stdout;
    expect(info).toMatch(/succeeded/);
    expect(info).toMatch(/Warning:\s+POSTDEPLOY_FAILED: app\.json scripts\.postdeploy exited with status 4/);
    expect((await releases('seedfail')).find((r) => r.current)?.version).toBe(1);
  });

  it('a one-off run keeps the stdin sent right after its start message (it was lost while the process started: `dozen run` then hung)', async () => {
    const token = readFileSync(adminTokenPath(platform.dataDir), 'utf8').trim();
    const socket = new WebSocket(`${platform.apiUrl.replace(/^http/, 'ws')}/apps/mig/run`, { headers: { authorization: `Bearer ${token}` } });
    let stdout = '';
    const exit = new Promise<unknown>((resolve, reject) => {
      socket.on('message', (data, binary) => {
        if (binary) stdout += Buffer.from(decodeRunData(new Uint8Array(data as Buffer)).data).toString();
        else if ((JSON.parse(String(data)) as { type: string }).type === 'exit') resolve(JSON.parse(String(data)));
      });
      socket.on('error', reject);
    });
    socket.on('open', () => {
      // All at once, before the platform has started the process.
      socket.send(JSON.stringify({ type: 'start', command: ['wc', '-c'] }));
      socket.send(encodeRunData(RunChannel.stdin, Buffer.from('twelve bytes')));
      socket.send(JSON.stringify({ type: 'stdin-end' }));
    });
    expect(await exit).toMatchObject({ code: 0 });
    expect(stdout.trim()).toBe('12');
  });

  it('app.json that is not JSON names the line and column; an invalid value names its JSON path', async () => {
    const app = join(scratch, 'bad-app-json');
    cpSync(join(ROOT, 'examples', 'node-web'), app, { recursive: true });
    writeFileSync(join(app, 'app.json'), '{\n  "name": "x",\n  "env": }\n');
    const syntax = await fails(['deploy', app, '-a', 'manifest'], 'APP_JSON_INVALID');
    expect(syntax.stderr).toContain('app.json is not valid JSON: value expected at line 3, column 10.');
    writeFileSync(join(app, 'app.json'), JSON.stringify({ formation: { web: { quantity: 'two' } } }));
    const value = await fails(['deploy', app, '-a', 'manifest'], 'APP_JSON_INVALID');
    expect(value.stderr).toContain('app.json: formation.web.quantity must be a whole number from 0 to 100 (got "two").');
    expect((await releases('manifest')).find((r) => r.current)?.version).toBe(3);
  });
});
