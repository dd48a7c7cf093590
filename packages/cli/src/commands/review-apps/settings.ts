import { DozenError } from '@dozen/contracts/errors';
import type { Command } from 'commander';
import type { Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

interface PipelineOption {
  pipeline?: string;
  json?: boolean;
}

function pipelineCommand(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).option('-p, --pipeline <name>', 'the pipeline').option('--json', 'print JSON');
}

function requirePipelineName(options: PipelineOption): string {
  if (!options.pipeline) throw new DozenError('CLI_USAGE', 'No pipeline given.', { hint: 'Name it with -p PIPELINE (see `dozen pipelines`).' });
  return options.pipeline;
}

export const registerReviewAppsList: Registrar = (program, context) => {
  pipelineCommand(program, 'review-apps', "list a pipeline's review apps").action(async (options: PipelineOption) => {
    const pipeline = await context.client().call('getPipeline', { params: { pipeline: requirePipelineName(options) } });
    if (options.json) return printJson(pipeline.reviews);
    if (!pipeline.reviewApps.enabled) print(`Review apps of ${pipeline.name} are disabled.`);
    if (pipeline.reviews.length === 0) return print('No review apps.');
    print(table(pipeline.reviews.map((r) => [r.app, r.branch, r.url])));
  });
};

export const registerReviewAppsEnable: Registrar = (program, context) => {
  pipelineCommand(program, 'review-apps:enable', "give each branch pushed to the pipeline's repository its own app")
    .option('--autodeploy', 'rebuild a review app on every push of its branch (default: only the first push builds)')
    .option('--no-autodeploy', 'only the first push of a branch builds its review app')
    .option('--stale-days <days>', 'destroy review apps without a push for this many days (default 5)')
    .action(async (options: PipelineOption & { autodeploy?: boolean; staleDays?: string }) => {
      const body: { autodeploy?: boolean; staleDays?: number } = {};
      if (options.autodeploy !== undefined) body.autodeploy = options.autodeploy;
      if (options.staleDays !== undefined) {
        if (!/^\d+$/.test(options.staleDays)) throw new DozenError('CLI_USAGE', `--stale-days ${JSON.stringify(options.staleDays)} is not a number of days.`, { hint: 'Give a whole number of days from 1 to 365.' });
        body.staleDays = Number(options.staleDays);
      }
      const name = requirePipelineName(options);
      const review = await context.client().call('enableReviewApps', { params: { pipeline: name }, body });
      if (options.json) return printJson(review);
      print(`Review apps of ${name} are enabled (autodeploy ${review.autodeploy ? 'on' : 'off'}, destroyed after ${review.staleDays} idle days).`);
    });
};

export const registerReviewAppsDisable: Registrar = (program, context) => {
  pipelineCommand(program, 'review-apps:disable', 'stop making review apps (existing ones stay until their branch is deleted)').action(async (options: PipelineOption) => {
    const name = requirePipelineName(options);
    const review = await context.client().call('disableReviewApps', { params: { pipeline: name } });
    if (options.json) return printJson(review);
    print(`Review apps of ${name} are disabled.`);
  });
};

export const registerReviewAppsConfig: Registrar = (program, context) => {
  pipelineCommand(program, 'review-apps:config', 'show, set (KEY=value) or unset (--unset KEY) the config vars every review app gets')
    .argument('[pairs...]', 'KEY=value pairs to set')
    .option('--unset <keys...>', 'keys to unset')
    .action(async (pairs: string[], options: PipelineOption & { unset?: string[] }) => {
      const name = requirePipelineName(options);
      const changes: Record<string, string | null> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new DozenError('CLI_USAGE', `${JSON.stringify(pair)} is not KEY=value.`, { hint: 'Run `dozen review-apps:config -p PIPELINE KEY=value [--unset KEY]`.' });
        changes[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      for (const key of options.unset ?? []) changes[key] = null;
      const client = context.client();
      const config = Object.keys(changes).length === 0 ? await client.call('getReviewConfig', { params: { pipeline: name } }) : await client.call('updateReviewConfig', { params: { pipeline: name }, body: changes });
      if (options.json) return printJson(config);
      print(`=== ${name} review config vars`);
      print(table(Object.entries(config).map(([key, value]) => [`${key}:`, value])));
    });
};
