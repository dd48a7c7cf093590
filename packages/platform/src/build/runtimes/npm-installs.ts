import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { BuildContext } from '../buildpacks/buildpack.js';
import { installFromRegistry } from './registry-install.js';
import { SingleFlight } from './single-flight.js';

/**
 * npm inside a Node.js runtime directory, laid out as Node's own release archives have it:
 * `lib/node_modules/npm`, with `bin/npm` and `bin/npx` beside `bin/node`. Builds and app
 * processes then find the app's node, npm and npx in one `bin` directory.
 */
export class NpmInstalls {
  private readonly installs = new SingleFlight<void>();

  constructor(
    private readonly dir: string,
    /** Downloads in progress (the data dir's `runtimesScratch`). */
    private readonly scratch: string,
    private readonly npm: [string, ...string[]],
  ) {}

  /** argv prefix that runs the npm of a runtime directory under its own node. */
  static argv(root: string): [string, ...string[]] {
    return [join(root, 'bin', 'node'), join(root, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  }

  /** npm `version` in the runtime directory `root` (installed once, then kept). */
  ensure(root: string, version: string, context: BuildContext): Promise<void> {
    return this.installs.run(root, () => this.install(root, version, context));
  }

  /**
   * A runtime directory for a node binary with another npm than its own (engines.npm):
   * `<dir>/node/<name>`, the binary linked in (copied across filesystems), npm `version` beside it.
   */
  async combine(nodeBinary: string, name: string, version: string, context: BuildContext): Promise<string> {
    const root = join(this.dir, 'node', name);
    const node = join(root, 'bin', 'node');
    if (!existsSync(node)) {
      await mkdir(dirname(node), { recursive: true, mode: 0o755 });
      await link(nodeBinary, node).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return;
        if (error.code !== 'EXDEV' && error.code !== 'EPERM') throw error;
        await copyFile(nodeBinary, `${node}.part`);
        await rename(`${node}.part`, node);
      });
    }
    await this.ensure(root, version, context);
    return root;
  }

  private async install(root: string, version: string, context: BuildContext): Promise<void> {
    const target = join(root, 'lib', 'node_modules', 'npm');
    if ((await installedVersion(target)) === version) return;
    context.output.line(`       Installing npm ${version} from the npm registry (once; kept with this Node.js)`);
    await installFromRegistry(this.npm, `npm@${version}`, this.scratch, context, async (tmp) => {
      const installed = join(tmp, 'node_modules', 'npm');
      if ((await installedVersion(installed)) !== version) throw new DozenError('BUILD_FAILED', `The registry's npm@${version} did not install as expected; try the build again.`);
      await mkdir(dirname(target), { recursive: true, mode: 0o755 });
      await rename(installed, target).catch(async (error: NodeJS.ErrnoException) => {
        // Another platform process installed it meanwhile: theirs is as good as ours.
        if ((await installedVersion(target)) !== version) throw error;
      });
    });
    for (const [name, script] of [['npm', 'npm-cli.js'], ['npx', 'npx-cli.js']] as const) {
      await symlink(`../lib/node_modules/npm/bin/${script}`, join(root, 'bin', name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
  }
}

async function installedVersion(dir: string): Promise<string | null> {
  const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return (JSON.parse(text) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}
