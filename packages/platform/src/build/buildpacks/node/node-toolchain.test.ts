import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildContext } from '../buildpack.js';
import { resolveAppNode, type NodeToolchain } from './node-toolchain.js';

const root = mkdtempSync(join(tmpdir(), 'dozen-toolchain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A toolchain whose downloads are recorded instead of made: Node.js 16.20.2 ships npm 8.19.4. */
function toolchain() {
  const calls: string[] = [];
  const node16 = join(root, 'node', '16.20.2-x64');
  const chain = {
    runtimes: {
      resolve: async (range: string) => (range === '16.x' ? { version: '16.20.2', root: node16 } : { version: '20.20.2', root: null }),
      bundledNpm: async () => '8.19.4',
    },
    npmInstalls: {
      ensure: async (dir: string, version: string) => void calls.push(`ensure ${dir} ${version}`),
      combine: async (binary: string, name: string, version: string) => {
        calls.push(`combine ${binary} ${name} ${version}`);
        return join(root, 'node', name);
      },
    },
    published: { list: async () => ['8.19.4', '9.9.3', '9.9.4', '10.0.0-pre.0', '10.9.2'] },
    npm: ['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npm-cli.js'],
    hostNpmVersion: '11.19.1',
    hostNode: '/usr/bin/node',
    hostVersion: '20.20.2',
    arch: 'x64',
  } as unknown as NodeToolchain;
  return { chain, calls, node16 };
}

const context = { buildDir: root, output: { line: () => undefined } } as unknown as BuildContext;
const pkg = (engines: Record<string, string>) => ({ engines });

describe('resolveAppNode', () => {
  it("gives a downloaded Node.js the npm that ships with it, installed in its own directory", async () => {
    const { chain, calls, node16 } = toolchain();
    const node = await resolveAppNode(chain, pkg({ node: '16.x' }), context);
    expect(node).toMatchObject({ version: '16.20.2', npmVersion: '8.19.4', root: node16, npm: [join(node16, 'bin', 'node'), join(node16, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')] });
    expect(calls).toEqual([`ensure ${node16} 8.19.4`]);
  });

  it('keeps the shipped npm when it satisfies engines.npm, else pairs the newest published match with that node', async () => {
    const { chain, calls, node16 } = toolchain();
    expect((await resolveAppNode(chain, pkg({ node: '16.x', npm: '8.x' }), context)).npmVersion).toBe('8.19.4');
    const nine = await resolveAppNode(chain, pkg({ node: '16.x', npm: '9.x' }), context);
    expect(nine).toMatchObject({ npmVersion: '9.9.4', root: join(root, 'node', '16.20.2-x64+npm-9.9.4') });
    expect(calls).toEqual([`ensure ${node16} 8.19.4`, `combine ${join(node16, 'bin', 'node')} 16.20.2-x64+npm-9.9.4 9.9.4`]);
  });

  it("uses the platform's own Node.js and npm when they fit, and pairs its node with another npm for engines.npm", async () => {
    const { chain, calls } = toolchain();
    expect(await resolveAppNode(chain, pkg({}), context)).toMatchObject({ version: '20.20.2', npmVersion: '11.19.1', root: null, npm: chain.npm });
    expect(calls).toEqual([]);
    expect((await resolveAppNode(chain, pkg({ npm: '10' }), context)).npmVersion).toBe('10.9.2');
    expect(calls).toEqual(['combine /usr/bin/node host-20.20.2-x64+npm-10.9.2 10.9.2']);
  });

  it('refuses an engines.npm that is no range, or that no published npm satisfies, naming it', async () => {
    const { chain } = toolchain();
    await expect(resolveAppNode(chain, pkg({ npm: 'latest please' }), context)).rejects.toMatchObject({ code: 'NPM_VERSION_UNAVAILABLE', message: expect.stringContaining('"latest please", which is not a version range') });
    await expect(resolveAppNode(chain, pkg({ npm: '12.x' }), context)).rejects.toMatchObject({ code: 'NPM_VERSION_UNAVAILABLE', hint: expect.stringContaining('8.19.4, 9.9.4, 10.9.2') });
  });
});
