import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeyFile } from '../../packages/platform/src/secrets/key-file.js';
import { startLoad } from './support/load.js';
import { filesContaining, filesUnder } from './support/data-dir-files.js';
import { eventually, TestPlatform } from './support/platform.js';

/** A digest of every regular file under `root` (store, -wal, -shm, logs, slugs, caches, add-on servers, key file). */
function hashes(root: string): Record<string, string> {
  return Object.fromEntries(filesUnder(root).map((file) => [file.slice(root.length), createHash('sha256').update(readFileSync(file)).digest('hex')]));
}

/**
 * Issue 13, acceptance 5 and 6: config vars and add-on credentials never reach a file of the data
 * dir in plain text; `secrets:rotate` under load fails no request and changes no value; a start
 * with the wrong master key refuses, names the key id it needs, and changes nothing.
 */
describe('secrets at rest', () => {
  let platform: TestPlatform;
  const canary = `canary-${randomBytes(16).toString('hex')}`;
  const greeting = `greeting-${randomBytes(16).toString('hex')}`;
  const secrets: Record<string, string> = {};
  const ok = (args: string[]) => platform.ok(args);
  const configGet = async (key: string) => (await ok(['config:get', key, '-a', 'shop'])).stdout.trim();
  const greetingServed = async () => {
    const response = await platform.http('shop');
    expect(response.status, response.body).toBe(200);
    return (JSON.parse(response.body) as { greeting: string }).greeting;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('5a. after config:set, a deploy that sees the config and add-on creates, no file under the data dir holds a value or an add-on password', async () => {
    await ok(['apps:create', 'shop']);
    await ok(['config:set', `SECRET_CANARY=${canary}`, `GREETING=${greeting}`, '-a', 'shop']);
    // Built after the config is set: the build had the values in its environment and in ENV_DIR.
    await ok(['deploy', 'examples/node-web', '-a', 'shop']);
    // An app with dependencies: npm installs them with the config in its environment, and its
    // caches (npm's, node_modules) are kept for the next build.
    await ok(['apps:create', 'probe']);
    await ok(['config:set', `SECRET_CANARY=${canary}`, '-a', 'probe']);
    await ok(['deploy', 'examples/node-probe', '-a', 'probe']);
    await ok(['addons:create', 'redis', '-a', 'shop']);
    await ok(['addons:create', 'postgres', '-a', 'shop']);
    for (const name of ['REDIS_URL', 'DATABASE_URL']) secrets[name] = decodeURIComponent(new URL(await configGet(name)).password);
    expect(secrets.REDIS_URL).toMatch(/^[0-9a-f]{32}$/);
    expect(secrets.DATABASE_URL).toMatch(/^[0-9a-f]{32}$/);
    expect(await configGet('SECRET_CANARY')).toBe(canary);
    expect(await eventually(greetingServed)).toBe(greeting);

    const files = filesUnder(platform.dataDir);
    expect(files.some((file) => file.endsWith('dozen.db'))).toBe(true);
    expect(files.some((file) => file.includes('/slugs/'))).toBe(true);
    expect(files.some((file) => /\/cache\/.*\/node-modules\/.*\/ws\//.test(file))).toBe(true);
    expect(files.some((file) => file.includes('/logs/'))).toBe(true);
    expect(files.some((file) => file.includes('/addons/redis/'))).toBe(true);
    // The admin passwords of the platform's own servers are sealed in their state files too.
    for (const server of ['postgres', 'redis']) {
      const state = JSON.parse(readFileSync(join(platform.dataDir, 'addons', `${server}.json`), 'utf8')) as { password: string };
      expect(state.password, server).toMatch(/^dz1:[0-9a-f]{16}:/);
    }
    for (const [what, needle] of [['SECRET_CANARY', canary], ['GREETING', greeting], ['the redis password', secrets.REDIS_URL], ['the postgres password', secrets.DATABASE_URL]] as const) {
      expect(filesContaining(platform.dataDir, needle as string), `${what} in files`).toEqual([]);
      expect(platform.logs.includes(needle as string), `${what} in the platform's log`).toBe(false);
    }
  });

  it('5b. secrets:rotate under load through the router: 0 failed requests, a new master key in the key file, every value unchanged', async () => {
    const keyFile = join(platform.dataDir, 'secret-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const before = readKeyFile(keyFile).ids;
    expect(before).toHaveLength(1);
    const processes = async () => (JSON.parse((await ok(['ps', '-a', 'shop', '--json'])).stdout) as { name: string; pid: number | null; startedAt: string | null; release: number }[]).map((p) => [p.name, p.pid, p.startedAt, p.release]);
    const running = await processes();
    expect(running.length).toBeGreaterThan(0);
    const load = startLoad(platform.routerPort, 'shop.localhost', 4);
    await new Promise((r) => setTimeout(r, 500));
    const rotated = await ok(['secrets:rotate']);
    await new Promise((r) => setTimeout(r, 500));
    const result = await load.stop();
    expect(result.samples).toEqual([]);
    expect(result.failures).toBe(0);
    expect(result.requests).toBeGreaterThan(50);
    const after = readKeyFile(keyFile).ids;
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    expect(rotated.stdout).toContain(`now under master key id ${after[0]}`);
    expect(rotated.stdout).toContain(`Deleted the old master key ${before[0]}`);
    // No release, no restart: the same processes of the same release serve, with the same values.
    expect([...result.releases]).toEqual(['v4']);
    expect(await processes()).toEqual(running);
    expect(await configGet('SECRET_CANARY')).toBe(canary);
    expect(await greetingServed()).toBe(greeting);
    for (const name of ['REDIS_URL', 'DATABASE_URL']) expect(decodeURIComponent(new URL(await configGet(name)).password)).toBe(secrets[name]);
    // A one-off reads the config from the store again, through the re-wrapped data key (it prints a
    // digest: the value itself would rightly be in the app's log stream then).
    const digest = createHash('sha256').update(canary).digest('hex');
    const printed = await ok(['run', '-a', 'shop', '--', 'node', '-e', "console.log(require('crypto').createHash('sha256').update(process.env.SECRET_CANARY).digest('hex'))"]);
    expect(printed.stdout.trim()).toBe(digest);
  });

  it('6. after stop, a start with a wrong DOZEN_SECRET_KEY refuses, names the key id it needs and changes no file; the right key starts', async () => {
    const needed = readKeyFile(join(platform.dataDir, 'secret-key')).primary.id;
    const port = new URL(platform.apiUrl).port;
    await platform.stop();
    const before = hashes(platform.dataDir);
    const wrong = new TestPlatform(platform.dataDir, { DOZEN_SECRET_KEY: randomBytes(32).toString('base64'), PORT: port });
    const refused = await wrong.boot().then(
      () => 'started',
      (error: Error) => error.message,
    );
    await wrong.stop();
    expect(refused).toContain(`master key id ${needed}`);
    expect(refused).toContain('SECRET_KEY_MISSING');
    expect(hashes(platform.dataDir)).toEqual(before);

    // A value written the old way (plain text in the current release, as before secrets at rest):
    // the next start seals it, and no file keeps it.
    const legacy = `legacy-${randomBytes(16).toString('hex')}`;
    writePlainConfigVar(join(platform.dataDir, 'dozen.db'), 'shop', 'LEGACY_CANARY', legacy);
    expect(filesContaining(platform.dataDir, legacy).length).toBeGreaterThan(0);

    platform = new TestPlatform(platform.dataDir, { PORT: port });
    await platform.boot();
    expect(platform.logs).toContain(`master key id ${needed}`);
    expect(await configGet('SECRET_CANARY')).toBe(canary);
    expect(await configGet('LEGACY_CANARY')).toBe(legacy);
    expect(await eventually(greetingServed, 30_000)).toBe(greeting);
    // The add-on servers came back with their sealed admin passwords: a new add-on is provisioned.
    await ok(['addons:create', 'redis', '-a', 'probe']);
    await ok(['addons:create', 'postgres', '-a', 'probe']);
    // After the rotation, the one-off, the restart and the sealing pass: still in no file, nor in the platform's log.
    for (const needle of [canary, greeting, legacy, secrets.REDIS_URL as string, secrets.DATABASE_URL as string]) {
      expect(filesContaining(platform.dataDir, needle), needle).toEqual([]);
      expect(platform.logs.includes(needle), needle).toBe(false);
    }
  });
});

/** Adds a plain-text config var to the app's current release, as the store before secrets at rest kept it. */
function writePlainConfigVar(file: string, app: string, name: string, value: string): void {
  const db = new SQLite(file);
  try {
    const row = db.prepare('SELECT r.id AS id, r.config AS config FROM releases r JOIN apps a ON a.id = r.app_id AND a.current_release = r.version WHERE a.name = ?').get(app) as { id: string; config: string };
    const config = { ...(JSON.parse(row.config) as Record<string, string>), [name]: value };
    db.prepare('UPDATE releases SET config = ? WHERE id = ?').run(JSON.stringify(config), row.id);
  } finally {
    db.close();
  }
}
