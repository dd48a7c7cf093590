import type { CronJob } from '@dozen/contracts';
import { echoCommand } from '../../command-echo.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerCronList: Registrar = (program, context) => {
  appCommand(program, 'cron', "list an app's scheduled jobs (UTC) with their next run")
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const jobs = await context.client().call('listCronJobs', { params: { app } });
      if (options.json) return printJson(jobs);
      if (jobs.length === 0) return print(`${app} has no scheduled jobs. Add one with \`dozen cron:add "0 3 * * *" -a ${app} -- CMD\`.`);
      print(`=== ${app} scheduled jobs (UTC)`);
      print(table([['id', 'schedule', 'command', 'source', 'next run'], ...jobs.map(row)]));
    });
};

function row(job: CronJob): string[] {
  return [job.id, job.schedule, echoCommand(job.command), job.source, job.nextRunAt ?? 'never'];
}
