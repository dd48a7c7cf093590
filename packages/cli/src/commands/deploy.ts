import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DozenError, type Build, type DozenClient } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { archiveRef } from '../git-source.js';
import { listSourceFiles, packSource } from '../pack.js';
import { Progress } from '../progress.js';

export const registerDeploy: Registrar = (program, context) => {
  appCommand(program, 'deploy', 'build a directory and release it (default: the current directory)')
    .argument('[dir]', 'the app directory', '.')
    .option('--ref <ref>', 'deploy the directory as it is in this git commit, branch or tag (git archive)')
    .action(async (dir: string, options: AppOptions & { ref?: string }) => {
      const app = requireAppName(options);
      const root = resolve(dir);
      const client = context.client();
      const progress = new Progress();
      let upload: () => Promise<Build>;
      if (options.ref === undefined) {
        assertDeployable(root);
        const files = await listSourceFiles(root);
        progress.start(`Uploading ${files.length} files`);
        upload = () => client.uploadSource(app, packSource(root, files));
      } else {
        const source = await archiveRef(root, options.ref);
        progress.start(`Uploading ${options.ref} (${source.commit.slice(0, 7)})`);
        upload = () => client.uploadSource(app, source.stream, { commit: source.commit });
      }
      let build: Build;
      try {
        build = await upload();
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

function assertDeployable(root: string): void {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DozenError('DEPLOY_DIR_INVALID', `${root} is not a directory.`);
  }
  if (!existsSync(join(root, 'package.json')) && !existsSync(join(root, 'Procfile'))) {
    throw new DozenError('DEPLOY_DIR_INVALID', `${root} has neither a package.json nor a Procfile, so there is nothing Dozen knows how to build.`);
  }
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
