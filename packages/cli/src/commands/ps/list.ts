import type { ProcessInfo } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerPsList: Registrar = (program, context) => {
  appCommand(program, 'ps', 'list the processes of an app')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const processes = await context.client().call('listProcesses', { params: { app } });
      if (options.json) return printJson(processes);
      if (processes.length === 0) return print(`${app} has no processes running.`);
      const byType = new Map<string, ProcessInfo[]>();
      for (const p of processes) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
      for (const [type, list] of byType) {
        print(`=== ${type} (${list.length}): ${list[0]?.command ?? ''}`);
        print(table(list.map(describe)));
        print();
      }
    });
};

function describe(p: ProcessInfo): string[] {
  const state = p.state === 'crashed' && p.nextRestartAt ? `crashed (${p.lastExit}), restart ${ago(p.nextRestartAt)}`.replace(' ago', '') : p.state;
  return [
    `${p.name}:`,
    state,
    p.state === 'up' ? `since ${ago(p.startedAt)}` : '',
    `v${p.release}`,
    p.pid === null ? '' : `pid ${p.pid}`,
    p.port === null ? '' : `port ${p.port}`,
    p.restarts > 0 ? `${p.restarts} restarts` : '',
  ];
}
