import { echoCommand } from '../../command-echo.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerCronAdd: Registrar = (program, context) => {
  appCommand(program, 'cron:add', 'schedule a command (cron expression, UTC): dozen cron:add "*/10 * * * *" -a APP -- CMD ARGS... (options before --)')
    .argument('<schedule>', '5 fields `minute hour day-of-month month day-of-week` in UTC, or @hourly, @daily, @weekly, @monthly, @yearly')
    .argument('<command...>', 'the command; one argument is run by the shell, several are passed as they are')
    .option('--json', 'print JSON')
    .action(async (schedule: string, command: string[], options: AppOptions) => {
      const app = requireAppName(options);
      const job = await context.client().call('addCronJob', { params: { app }, body: { schedule, command } });
      if (options.json) return printJson(job);
      print(`Scheduled \`${echoCommand(job.command)}\` (${job.schedule}, UTC) as job ${job.id} of ${app}; next run ${job.nextRunAt ?? 'never'}.`);
      print(`Each run is a one-off process scheduler.N of the current release; its output goes to \`dozen logs -a ${app}\`.`);
    });
};
