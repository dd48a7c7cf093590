import { DozenError } from '@dozen/contracts/errors';
import type { AppMetrics } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';
import { defaultStep, metricsRows, processRows } from './metrics-table.js';

interface MetricsOptions extends AppOptions {
  since?: string;
  step?: string;
  json?: boolean;
}

export const registerMetrics: Registrar = (program, context) => {
  appCommand(program, 'metrics', "show an app's metrics: requests, latency, memory, CPU, restarts, deploys")
    .option('--since <time>', 'from a duration ago (30m, 2h, 1d) or an ISO 8601 time (default 1h; 24 h are kept)')
    .option('--step <seconds>', 'seconds per row (default: about 12 rows)')
    .option('--json', 'print JSON (the API answer: one column per series)')
    .action(async (options: MetricsOptions) => {
      const app = requireAppName(options);
      const since = options.since ?? '1h';
      const step = options.step === undefined ? defaultStep(since, Date.now()) : Number(options.step);
      if (step !== undefined && (!Number.isInteger(step) || step < 1 || step > 86_400)) {
        throw new DozenError('CLI_USAGE', `--step ${options.step} is not a whole number of seconds from 1 to 86400.`);
      }
      const query = step === undefined ? { since } : { since, step };
      const metrics: AppMetrics = await context.client().call('appMetrics', { params: { app }, query });
      if (options.json) return printJson(metrics);
      print(`=== ${app} metrics, ${metrics.stepSeconds} s per row (times in UTC; the last row is in progress)`);
      print(table(metricsRows(metrics)));
      if (metrics.processes.length > 0) print(`\n${table(processRows(metrics))}`);
      if (metrics.deploys.length > 0) print(`\n${table([['RELEASE', 'CREATED', 'DESCRIPTION'], ...metrics.deploys.map((d) => [`v${d.version}`, d.createdAt.replace(/\.\d+Z$/, 'Z'), d.description])])}`);
    });
};
