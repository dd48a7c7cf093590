import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerCronTrigger: Registrar = (program, context) => {
  appCommand(program, 'cron:trigger', "run a scheduled job now (Heroku Scheduler's Run now); skipped if its previous run still runs")
    .argument('<id>', 'the job id shown by `dozen cron`')
    .option('--json', 'print JSON')
    .action(async (id: string, options: AppOptions) => {
      const app = requireAppName(options);
      const run = await context.client().call('triggerCronJob', { params: { app, job: id } });
      if (options.json) return printJson(run);
      if (run.status === 'running') return print(`Started job ${id} as ${run.process ?? '?'}; its output goes to \`dozen logs -a ${app}\`.`);
      print(`Job ${id} was ${run.status}: ${run.note ?? ''}`);
    });
};
