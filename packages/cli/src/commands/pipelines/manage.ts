import type { Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';
import { printPipeline } from './show.js';

export const registerPipelinesList: Registrar = (program, context) => {
  program
    .command('pipelines')
    .description('list pipelines')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const pipelines = await context.client().call('listPipelines', {});
      if (options.json) return printJson(pipelines);
      if (pipelines.length === 0) return print('No pipelines yet. Create one with `dozen pipelines:create NAME`.');
      print('=== Pipelines');
      print(table(pipelines.map((p) => [p.name, p.apps.map((a) => `${a.app} (${a.stage})`).join(', ') || 'no apps'])));
    });
};

export const registerPipelinesCreate: Registrar = (program, context) => {
  program
    .command('pipelines:create')
    .description('create an empty pipeline')
    .argument('<name>', 'the pipeline name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const pipeline = await context.client().call('createPipeline', { body: { name } });
      if (options.json) return printJson(pipeline);
      print(`Created pipeline ${pipeline.name}. Add apps with \`dozen pipelines:add ${pipeline.name} -a APP --stage staging\`.`);
    });
};

export const registerPipelinesInfo: Registrar = (program, context) => {
  program
    .command('pipelines:info')
    .description('show a pipeline: its apps by stage and its review apps')
    .argument('<name>', 'the pipeline')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const pipeline = await context.client().call('getPipeline', { params: { pipeline: name } });
      if (options.json) return printJson(pipeline);
      printPipeline(pipeline);
    });
};

export const registerPipelinesDestroy: Registrar = (program, context) => {
  program
    .command('pipelines:destroy')
    .description('delete a pipeline (its apps stay)')
    .argument('<name>', 'the pipeline')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const pipeline = await context.client().call('destroyPipeline', { params: { pipeline: name } });
      if (options.json) return printJson(pipeline);
      print(`Destroyed pipeline ${pipeline.name}; its apps are still there.`);
    });
};
