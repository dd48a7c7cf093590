import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerPipelinesAdd: Registrar = (program, context) => {
  appCommand(program, 'pipelines:add', 'put the app in a pipeline at a stage (or move it to another stage)')
    .argument('<pipeline>', 'the pipeline')
    .requiredOption('-s, --stage <stage>', 'development, staging or production')
    .option('--json', 'print JSON')
    .action(async (pipeline: string, options: AppOptions & { stage: string }) => {
      const app = requireAppName(options);
      const entry = await context.client().call('addPipelineApp', { params: { app }, body: { pipeline, stage: options.stage } });
      if (options.json) return printJson(entry);
      print(`Added ${entry.app} to ${entry.pipeline} as ${entry.stage}.`);
    });
};

export const registerPipelinesRemove: Registrar = (program, context) => {
  appCommand(program, 'pipelines:remove', 'take the app out of its pipeline')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const entry = await context.client().call('removePipelineApp', { params: { app } });
      if (options.json) return printJson(entry);
      print(`Removed ${entry.app} from ${entry.pipeline}.`);
    });
};
