import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { DozenError } from '@dozen/contracts/errors';
import type { Build, DozenClient } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { print, printJson } from '../output.js';
import { printPlan } from '../plan-output.js';
import { Progress } from '../progress.js';

export const registerDeploy: Registrar = (program, context) => {
  appCommand(program, 'deploy', 'build a directory and release it (default: the current directory)')
    .argument('[dir]', 'the app directory', '.')
    .option('--tarball <file>', 'send this prepared .tar.gz (or .tar) as it is, instead of packing a directory')
    .option('--ref <ref>', 'deploy the directory as it is in this git commit, branch or tag (git archive)')
    .option('--dry-run', 'print the release it would make and what the rollout would start and stop (from DIR/Procfile); build nothing')
    .option('--json', 'with --dry-run: print the plan as JSON')
    .action(async (dir: string, options: AppOptions & { tarball?: string; ref?: string; dryRun?: boolean }) => {
      const app = requireAppName(options);
      if (options.dryRun) return planDeploy(context.client(), app, resolve(dir), options.json === true);
      if (options.tarball !== undefined && options.ref !== undefined) {
        throw new DozenError('CLI_USAGE', '--tarball and --ref each name what to deploy: give one of them.');
      }
      const { body, what, commit } = options.tarball ? tarballSource(options.tarball) : options.ref ? await refSource(dir, options.ref) : await directorySource(dir);
      const client = context.client();
      const progress = new Progress();
      progress.start(`Uploading ${what}`);
      let build: Build;
      try {
        build = await client.uploadSource(app, body, commit === undefined ? {} : { commit });
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

async function directorySource(dir: string): Promise<{ body: ReadableStream<Uint8Array>; what: string; commit?: string }> {
  const root = resolve(dir);
  assertDeployable(root);
  // tar and ignore load here, not with every command.
  const { listSourceFiles, packSource } = await import('../pack.js');
  const files = await listSourceFiles(root);
  return { body: packSource(root, files), what: `${files.length} files` };
}

/** A commit of the git repository DIR is in: what `git archive` makes of it, with its SHA. */
async function refSource(dir: string, ref: string): Promise<{ body: ReadableStream<Uint8Array>; what: string; commit: string }> {
  const { archiveRef } = await import('../git-source.js');
  const source = await archiveRef(resolve(dir), ref);
  return { body: source.stream, what: `${ref} (${source.commit.slice(0, 7)})`, commit: source.commit };
}

/** A prepared archive goes as it is: the platform checks it exactly as it checks a packed directory. */
function tarballSource(file: string): { body: ReadableStream<Uint8Array>; what: string; commit?: string } {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new DozenError('DEPLOY_DIR_INVALID', `${path} is not a file.`, { hint: 'Give --tarball the path of a .tar.gz archive of the app.' });
  const size = statSync(path).size;
  return { body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, what: `${path} (${size} bytes)` };
}

async function planDeploy(client: DozenClient, app: string, root: string, json: boolean): Promise<void> {
  assertDeployable(root);
  const procfile = join(root, 'Procfile');
  const body = existsSync(procfile) ? { procfile: readFileSync(procfile, 'utf8') } : {};
  const plan = await client.call('planDeploy', { params: { app }, body });
  if (json) return printJson(plan);
  print(`Deploying ${root} to ${app} would build it and release v${plan.release}${'procfile' in body ? '' : ' (process types of the current release: no Procfile)'}.`);
  if (plan.releasePhase !== undefined) print(`  Release phase first: ${plan.releasePhase}`);
  printPlan(plan, `Deploying ${root} to ${app} as v${plan.release} would:`);
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
