import { DozenError } from '@dozen/contracts/errors';
import type { ProcessTypeInfo, ProcessTypeUpdate } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

interface TypeOptions extends AppOptions {
  grace?: string;
  bootTimeout?: string;
  strategy?: string;
  size?: string;
}

export const registerPsType: Registrar = (program, context) => {
  appCommand(program, 'ps:type', 'show or change per type settings: grace period, boot timeout, rollout strategy')
    .argument('[type]', 'the process type to change, e.g. web')
    .option('--grace <seconds>', 'seconds between SIGTERM and SIGKILL (`default` to reset)')
    .option('--boot-timeout <seconds>', 'seconds a web process has to accept on PORT (`default` to reset)')
    .option('--strategy <strategy>', 'start-first (new up before old stops) or stop-first (`default` to reset)')
    .option('--size <size>', 'the process size: memory quota, pids, CPU weight, /tmp (`default` to reset; restarts the type)')
    .option('--json', 'print JSON')
    .action(async (type: string | undefined, options: TypeOptions) => {
      const app = requireAppName(options);
      const client = context.client();
      const change = toChange(options);
      if (Object.keys(change).length > 0) {
        if (type === undefined) throw new DozenError('CLI_USAGE', 'Name the process type to change.', { hint: 'Run for example `dozen ps:type web --grace 10 -a APP`.' });
        const entry = await client.call('updateProcessType', { params: { app, type }, body: change });
        return options.json ? printJson(entry) : printTypes([entry]);
      }
      const types = (await client.call('listProcessTypes', { params: { app } })).filter((t) => type === undefined || t.type === type);
      if (options.json) return printJson(types);
      if (types.length === 0) return print(type === undefined ? `${app} has no process types yet.` : `${app} has no process type ${type}.`);
      printTypes(types);
    });
};

export function printTypes(types: ProcessTypeInfo[]): void {
  const mark = (t: ProcessTypeInfo, key: string, text: string) => (t.custom.includes(key) ? text : `${text} (default)`);
  print(
    table([
      ['type', 'quantity', 'size', 'grace', 'boot timeout', 'strategy'],
      ...types.map((t) => [t.type, String(t.quantity), mark(t, 'size', t.size), mark(t, 'graceSeconds', `${t.graceSeconds}s`), mark(t, 'bootTimeoutSeconds', `${t.bootTimeoutSeconds}s`), mark(t, 'strategy', t.strategy)]),
    ]),
  );
}

function toChange(options: TypeOptions): ProcessTypeUpdate {
  const change: ProcessTypeUpdate = {};
  if (options.grace !== undefined) change.graceSeconds = seconds('--grace', options.grace);
  if (options.bootTimeout !== undefined) change.bootTimeoutSeconds = seconds('--boot-timeout', options.bootTimeout);
  if (options.strategy !== undefined) {
    const value = options.strategy;
    if (value !== 'default' && value !== 'start-first' && value !== 'stop-first') {
      throw new DozenError('CLI_USAGE', `--strategy ${JSON.stringify(value)} is not start-first, stop-first or default.`);
    }
    change.strategy = value === 'default' ? null : value;
  }
  if (options.size !== undefined) change.size = options.size === 'default' ? null : options.size;
  return change;
}

function seconds(flag: string, value: string): number | null {
  if (value === 'default') return null;
  if (!/^\d+$/.test(value)) throw new DozenError('CLI_USAGE', `${flag} ${JSON.stringify(value)} is not a whole number of seconds.`, { hint: `Give seconds, e.g. ${flag} 30, or ${flag} default.` });
  return Number(value);
}
