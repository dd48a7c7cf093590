import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { DozenError, type Build, type DozenClient } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { listSourceFiles, packSource } from '../pack.js';
import { Progress } from '../progress.js';

export const registerDeploy: Registrar = (program, context) => {
  appCommand(program, 'deploy', 'build a directory and release it (default: the current directory)')
    .argument('[dir]', 'the app directory', '.')
    .option('--tarball <file>', 'send this prepared .tar.gz (or .tar) as it is, instead of packing a directory')
    .action(async (dir: string, options: AppOptions & { tarball?: string }) => {
      const app = requireAppName(options);
      const { body, what } = options.tarball ? tarballSource(options.tarball) : await directorySource(dir);
      const client = context.client();
      const progress = new Progress();
      progress.start(`Uploading ${what}`);
      let build: Build;
      try {
        build = await client.uploadSource(app, body);
      } finally {
        progress.stop();
      }
      progress.write(`-----> Building ${app} (build ${build.id})\n`);
      const finished = await followBuild(client, app, build, progress);
      if (finished.status !== 'succeeded') {
        const error = finished.error ?? { code: 'BUILD_FAILED', message: `The build ended as ${finished.status}.`, hint: '' };
        throw new DozenError(error.code as DozenError['code'], error.message, { hint: error.hint });
      }
    });
};

async function directorySource(dir: string): Promise<{ body: ReadableStream<Uint8Array>; what: string }> {
  const root = resolve(dir);
  assertDeployable(root);
  const files = await listSourceFiles(root);
  return { body: packSource(root, files), what: `${files.length} files` };
}

/** A prepared archive goes as it is: the platform checks it exactly as it checks a packed directory. */
function tarballSource(file: string): { body: ReadableStream<Uint8Array>; what: string } {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new DozenError('DEPLOY_DIR_INVALID', `${path} is not a file.`, { hint: 'Give --tarball the path of a .tar.gz archive of the app.' });
  const size = statSync(path).size;
  return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, what: `${path} (${size} bytes)` };
}

function assertDeployable(root: string): void {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DozenError('DEPLOY_DIR_INVALID', `${root} is not a directory.`);
  }
  if (readdirSync(root).length === 0) throw new DozenError('DEPLOY_DIR_INVALID', `${root} is empty: there is nothing to build.`);
}

/** Prints the build output as it comes, then answers the build as it ended. */
export async function followBuild(client: DozenClient, app: string, build: Build, progress: Progress): Promise<Build> {
  progress.start('Building');
  try {
    for await (const chunk of client.buildOutput(app, build.id)) {
      progress.write(chunk);
      progress.start('Building');
    }
  } finally {
    progress.stop();
  }
  return client.call('getBuild', { params: { app, build: build.id } });
}
