import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestPlatform } from './support/platform.js';

interface PinnedBody {
  node: string;
  agent: string | null;
  abi: { addon: number; node: number };
  release: string;
}

const PINNED = join(ROOT, 'test', 'fixtures', 'apps', 'node-pinned');
// The npm that Node.js 16.20.2 (the last 16.x, so this never moves) ships with, and its ABI.
const NODE_16 = 'v16.20.2';
const NPM_OF_NODE_16 = '8.19.4';
const ABI_OF_NODE_16 = 93;

/**
 * Issue 11, acceptance 3: an app pinned to an old Node.js major builds and runs with that
 * Node.js and the npm that ships with it (or the one engines.npm asks for), in the build, in
 * `npm start` and in `dozen run`. One Node.js 16 download serves every case here.
 */
describe('builds: the app\'s Node.js and npm', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-node-'));
  const ok = (args: string[]) => platform.ok(args);
  const body = async (app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as PinnedBody;
  };
  const versionsInRun = async (app: string) => (await ok(['run', '-a', app, '--', 'sh', '-c', 'echo "$(node --version) $(npm --version) $(npx --version)"'])).stdout.trim();
  const copy = (name: string, change: (pkg: { engines: Record<string, string> }) => void) => {
    const dir = join(scratch, name);
    cpSync(PINNED, dir, { recursive: true });
    const file = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { engines: Record<string, string> };
    change(pkg);
    writeFileSync(file, JSON.stringify(pkg, null, 2));
    rmSync(join(dir, 'package-lock.json'));
    return dir;
  };

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds and serves an engines.node 16.x app with `web: npm start`, on Node.js 16 and its own npm; its native addon fits that Node.js', async () => {
    await ok(['apps:create', 'sixteen']);
    const deploy = await ok(['deploy', PINNED, '-a', 'sixteen']);
    expect(deploy.stdout).toContain(`Node.js ${NODE_16}, npm ${NPM_OF_NODE_16}`);
    expect(deploy.stdout).toContain(`build sees node ${NODE_16} npm ${NPM_OF_NODE_16} npx ${NPM_OF_NODE_16}`);
    expect(deploy.stdout).not.toContain('EBADENGINE');
    // The native addon was compiled by npm under Node.js 16, against its own headers (no download).
    expect(deploy.stdout).toContain(`addon abi ${ABI_OF_NODE_16}, node abi ${ABI_OF_NODE_16}`);
    const served = await body('sixteen');
    expect(served.node).toBe(NODE_16);
    expect(served.abi).toEqual({ addon: ABI_OF_NODE_16, node: ABI_OF_NODE_16 });
    expect(served.agent).toMatch(new RegExp(`^npm/${NPM_OF_NODE_16.replaceAll('.', '\\.')} node/${NODE_16.replaceAll('.', '\\.')} `));
    expect(await versionsInRun('sixteen')).toBe(`${NODE_16} ${NPM_OF_NODE_16} ${NPM_OF_NODE_16}`);
  });

  it('honours engines.npm: npm 9 beside Node.js 16, in the build, in npm start and in dozen run', async () => {
    await ok(['apps:create', 'npm-nine']);
    const app = copy('npm-nine', (pkg) => (pkg.engines.npm = '9.x'));
    const deploy = await ok(['deploy', app, '-a', 'npm-nine']);
    expect(deploy.stdout).toContain('Using Node.js v16.20.2 from the runtime cache');
    const npm = /build sees node v16\.20\.2 npm (9\.\d+\.\d+) npx (9\.\d+\.\d+)/.exec(deploy.stdout)?.slice(1);
    expect(npm, deploy.stdout).toBeDefined();
    expect(npm?.[0]).toBe(npm?.[1]);
    expect(deploy.stdout).toContain(`Node.js ${NODE_16}, npm ${npm?.[0]}`);
    expect((await body('npm-nine')).abi).toEqual({ addon: ABI_OF_NODE_16, node: ABI_OF_NODE_16 });
    expect((await body('npm-nine')).agent).toMatch(new RegExp(`^npm/${npm?.[0]} node/v16\\.20\\.2 `));
    expect(await versionsInRun('npm-nine')).toBe(`${NODE_16} ${npm?.[0]} ${npm?.[0]}`);
    // The app with Node.js 16's own npm still runs with it: the two do not share an npm.
    expect(await versionsInRun('sixteen')).toBe(`${NODE_16} ${NPM_OF_NODE_16} ${NPM_OF_NODE_16}`);
  });

  it('refuses a Node.js or npm version that cannot be provided, once, with the supported range and the nearest versions', async () => {
    await ok(['apps:create', 'wrong']);
    for (const range of ['3.x', '99.x']) {
      const app = copy(`node-${range}`, (pkg) => (pkg.engines.node = range));
      const result = await platform.fails(['deploy', app, '-a', 'wrong'], 'NODE_VERSION_UNAVAILABLE');
      const all = result.stdout + result.stderr;
      const message = new RegExp(`package\\.json engines\\.node asks for Node\\.js "${range.replace('.', '\\.')}": Dozen provides Node\\.js 12\\.0\\.0 to \\d+\\.\\d+\\.\\d+ `);
      expect(all).toMatch(message);
      // Once in the build output (its last line) and once as the CLI's error, never repeated in either.
      expect(result.stdout.split('\n').filter((line) => message.test(line))).toHaveLength(1);
      expect(result.stderr.split('\n').filter((line) => message.test(line))).toHaveLength(1);
      expect(all).toMatch(/the nearest are \d+\.\d+\.\d+, \d+\.\d+\.\d+/);
      expect(all).not.toContain('bin/node');
    }
    const npm = copy('npm-none', (pkg) => (pkg.engines.npm = '1.99.x'));
    const refused = await platform.fails(['deploy', npm, '-a', 'wrong'], 'NPM_VERSION_UNAVAILABLE');
    expect(refused.stderr).toContain('package.json engines.npm asks for npm "1.99.x", which no published npm satisfies');
    expect((await ok(['releases', '-a', 'wrong'])).stdout).not.toMatch(/^v1\b/m);
  });
});
