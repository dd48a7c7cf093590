import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeyFile } from '../../packages/platform/src/secrets/key-file.js';
import { startLoad } from './support/load.js';
import { eventually, TestPlatform } from './support/platform.js';

/** Every regular file under `root` (store, -wal, -shm, logs, slugs, caches, add-on servers, key file). */
function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push(path);
    }
  };
  walk(root);
  return found;
}

function filesContaining(root: string, needle: string): string[] {
  return filesUnder(root).filter((file) => readFileSync(file).includes(needle));
}

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
    expect(files.some((file) => file.includes('/logs/'))).toBe(true);
    expect(files.some((file) => file.includes('/addons/redis/'))).toBe(true);
    for (const [what, needle] of [['SECRET_CANARY', canary], ['GREETING', greeting], ['the redis password', secrets.REDIS_URL], ['the postgres password', secrets.DATABASE_URL]] as const) {
      expect(filesContaining(platform.dataDir, needle as string), `${what} in files`).toEqual([]);
      expect(platform.logs.includes(needle as string), `${what} in the platform's log`).toBe(false);
    }
  });

  it('5b. secrets:rotate under load through the router: 0 failed requests, a new master key in the key file, every value unchanged', async () => {
    const keyFile = join(platform.dataDir, 'secret-key');
    const before = readKeyFile(keyFile).ids;
    expect(before).toHaveLength(1);
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
    // No release, no restart: the same release serves, with the same values.
    expect([...result.releases]).toEqual(['v4']);
    expect(await configGet('SECRET_CANARY')).toBe(canary);
    expect(await greetingServed()).toBe(greeting);
    for (const name of ['REDIS_URL', 'DATABASE_URL']) expect(decodeURIComponent(new URL(await configGet(name)).password)).toBe(secrets[name]);
    // A one-off reads the config from the store again, through the re-wrapped data key.
    expect((await ok(['run', '-a', 'shop', '--', 'printenv', 'SECRET_CANARY'])).stdout.trim()).toBe(canary);
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

    platform = new TestPlatform(platform.dataDir, { PORT: port });
    await platform.boot();
    expect(platform.logs).toContain(`master key id ${needed}`);
    expect(await configGet('SECRET_CANARY')).toBe(canary);
    expect(await eventually(greetingServed, 30_000)).toBe(greeting);
  });
});
