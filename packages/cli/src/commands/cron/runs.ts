import type { CronRun } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

export const registerCronRuns: Registrar = (program, context) => {
  appCommand(program, 'cron:runs', 'the last runs of the scheduled jobs, newest first: ran, failed or skipped, with the exit code')
    .option('--job <id>', 'only the runs of this job')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { job?: string }) => {
      const app = requireAppName(options);
      const query = options.job === undefined ? {} : { job: options.job };
      const runs = await context.client().call('listCronRuns', { params: { app }, query });
      if (options.json) return printJson(runs);
      if (runs.length === 0) return print(`${app} has no runs of scheduled jobs yet.`);
      print(`=== ${app} scheduled runs`);
      print(table([['started', 'job', 'process', 'status', 'exit', 'trigger', 'note'], ...runs.map(row)]));
    });
};

function row(run: CronRun): string[] {
  return [run.startedAt, run.job, run.process ?? '', run.status, run.exitCode === null ? '' : String(run.exitCode), run.trigger, run.note ?? ''];
}
