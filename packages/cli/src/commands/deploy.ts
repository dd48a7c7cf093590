import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DozenError, type Build, type DozenClient } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { listSourceFiles, packSource } from '../pack.js';
import { printJson } from '../output.js';
import { printPlan } from '../plan-output.js';
import { Progress } from '../progress.js';

export const registerDeploy: Registrar = (program, context) => {
  appCommand(program, 'deploy', 'build a directory and release it (default: the current directory)')
    .argument('[dir]', 'the app directory', '.')
    .option('--dry-run', 'print what the rollout would start and stop (from DIR/Procfile), and build nothing')
    .option('--json', 'with --dry-run: print the plan as JSON')
    .action(async (dir: string, options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const root = resolve(dir);
      assertDeployable(root);
      if (options.dryRun) return planDeploy(context.client(), app, root, options.json === true);
      const files = await listSourceFiles(root);
      const client = context.client();
      const progress = new Progress();
      progress.start(`Uploading ${files.length} files`);
      let build: Build;
      try {
        build = await client.uploadSource(app, packSource(root, files));
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

async function planDeploy(client: DozenClient, app: string, root: string, json: boolean): Promise<void> {
  const procfile = join(root, 'Procfile');
  const body = existsSync(procfile) ? { procfile: readFileSync(procfile, 'utf8') } : {};
  const plan = await client.call('planDeploy', { params: { app }, body });
  if (json) return printJson(plan);
  printPlan(plan, `Deploying ${root} to ${app} as v${plan.release} would${'procfile' in body ? '' : ' (process types of the current release: no Procfile)'}:`);
}

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
