import { DozenError } from '@dozen/contracts/errors';
import type { LogLine, LogSource } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { formatLogLine } from '../log-format.js';
import { printJson } from '../output.js';

const SOURCES = ['app', 'router', 'dozen'];

interface LogsOptions extends AppOptions {
  num?: string;
  tail?: boolean;
  process?: string;
  source?: string;
  since?: string;
}

export const registerLogs: Registrar = (program, context) => {
  appCommand(program, 'logs', "show an app's log stream (app, router and platform lines)")
    .option('-n, --num <lines>', 'how many recent lines (default 100; 1500 with --since)')
    .option('-t, --tail', 'keep streaming new lines (resumes by itself after a dropped connection)')
    .option('-p, --process <name>', 'only this process type (web) or process (web.1)')
    .option('-s, --source <source>', 'only lines from app, router or dozen')
    .option('--since <time>', 'only lines since a duration ago (30s, 10m, 2h, 1d) or an ISO 8601 time')
    .option('--json', 'print JSON')
    .action(async (options: LogsOptions) => {
      const app = requireAppName(options);
      const lines = options.num === undefined ? undefined : Number(options.num);
      if (lines !== undefined && (!Number.isInteger(lines) || lines < 1 || lines > 10_000)) {
        throw new DozenError('CLI_USAGE', `-n ${options.num} is not a number of lines from 1 to 10000.`);
      }
      if (options.source !== undefined && !SOURCES.includes(options.source)) {
        throw new DozenError('CLI_USAGE', `--source ${options.source} is not one of ${SOURCES.join(', ')}.`);
      }
      const filter = { process: options.process, source: options.source as LogSource | undefined, since: options.since };
      const format = options.json ? (line: LogLine) => JSON.stringify(line) : formatLogLine(context.color);
      const client = context.client();
      if (!options.tail) {
        const query = Object.fromEntries(Object.entries({ lines, ...filter }).filter(([, v]) => v !== undefined));
        const recent = await client.call('getLogs', { params: { app }, query });
        if (options.json) return printJson(recent);
        for (const line of recent) process.stdout.write(`${format(line)}\n`);
        return;
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      const onNotice = ({ message }: { message: string }) => process.stderr.write(` ›    ${message}\n`);
      try {
        for await (const line of client.tailLogs(app, { lines: lines ?? 100, ...filter, signal: stop.signal, reconnect: true, onNotice })) {
          process.stdout.write(`${format(line)}\n`);
        }
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      }
    });
};
