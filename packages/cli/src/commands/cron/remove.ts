import { echoCommand } from '../../command-echo.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerCronRemove: Registrar = (program, context) => {
  appCommand(program, 'cron:remove', 'remove a scheduled job (those from app.json change with app.json)')
    .argument('<id>', 'the job id shown by `dozen cron`')
    .option('--json', 'print JSON')
    .action(async (id: string, options: AppOptions) => {
      const app = requireAppName(options);
      const job = await context.client().call('removeCronJob', { params: { app, job: id } });
      if (options.json) return printJson(job);
      print(`Removed job ${job.id} (${job.schedule}) \`${echoCommand(job.command)}\` from ${app}.`);
    });
};
