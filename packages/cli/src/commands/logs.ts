import { DozenError, type LogLine } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { printJson } from '../output.js';

const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

export const registerLogs: Registrar = (program, context) => {
  appCommand(program, 'logs', "show an app's log stream (app, router and platform lines)")
    .option('-n, --num <lines>', 'how many recent lines', '100')
    .option('-t, --tail', 'keep streaming new lines')
    .option('--json', 'print JSON lines')
    .action(async (options: AppOptions & { num: string; tail?: boolean }) => {
      const app = requireAppName(options);
      const lines = Number(options.num);
      if (!Number.isInteger(lines) || lines < 1 || lines > 10_000) {
        throw new DozenError('CLI_USAGE', `-n ${options.num} is not a number of lines from 1 to 10000.`);
      }
      const format = options.json ? (line: LogLine) => JSON.stringify(line) : formatter(context.color);
      const client = context.client();
      if (!options.tail) {
        const recent = await client.call('getLogs', { params: { app }, query: { lines } });
        if (options.json) return printJson(recent);
        for (const line of recent) process.stdout.write(`${format(line)}\n`);
        return;
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      try {
        for await (const line of client.tailLogs(app, { lines, signal: stop.signal })) process.stdout.write(`${format(line)}\n`);
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      }
    });
};

/** Heroku's shape: `2026-11-24T20:15:03.123456+00:00 app[web.1]: message`. */
function formatter(color: boolean): (line: LogLine) => string {
  const assigned = new Map<string, number>();
  return (line) => {
    const tag = line.source === 'router' ? 'dozen[router]' : `${line.source}[${line.process}]`;
    // Terminal escapes in app output are kept in the data but not replayed into a plain terminal.
    const message = color ? line.message : line.message.replace(/\x1b/g, '\\e');
    if (!color) return `${line.time} ${tag}: ${message}`;
    if (!assigned.has(tag)) assigned.set(tag, COLORS[assigned.size % COLORS.length] as number);
    return `\x1b[${assigned.get(tag)}m${line.time} ${tag}:\x1b[0m ${message}`;
  };
}
