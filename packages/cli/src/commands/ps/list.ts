import type { ProcessInfo } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerPsList: Registrar = (program, context) => {
  appCommand(program, 'ps', 'list the processes of an app: state, uptime, release, pid, memory, restarts')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const processes = await context.client().call('listProcesses', { params: { app } });
      if (options.json) return printJson(processes);
      if (processes.length === 0) return print(`${app} has no processes running.`);
      if (processes.some((p) => !p.sandboxed)) print(' !    These processes run unsandboxed (no bubblewrap, or the platform is not root): see the platform log.');
      const byType = new Map<string, ProcessInfo[]>();
      for (const p of processes) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
      for (const [type, list] of byType) {
        print(`=== ${type} (${list.length}): ${list[0]?.command ?? ''}`);
        print(table(list.map((p) => describe(p))));
        print();
      }
    });
};

function describe(p: ProcessInfo, now = Date.now()): string[] {
  return [
    `${p.name}:`,
    state(p, now),
    `v${p.release}`,
    p.pid === null ? '' : `pid ${p.pid}`,
    p.port === null ? '' : `port ${p.port}`,
    memory(p),
    // Always shown, 0 included, so that the column stays where scripts and eyes expect it.
    `${p.restarts} restart${p.restarts === 1 ? '' : 's'}`,
    p.lastExit === null ? '' : `last exit: ${p.lastExit}`,
  ];
}

/** `41.2 MB`, or against its quota where one is enforced: `41.2 MB / 512 MB (8%, standard-1x)`. */
function memory(p: ProcessInfo): string {
  if (p.rssBytes === null) return '';
  const mb = (bytes: number) => bytes / 1024 / 1024;
  if (p.memoryQuotaBytes === null) return `${mb(p.rssBytes).toFixed(1)} MB`;
  const percent = Math.round((p.rssBytes / p.memoryQuotaBytes) * 100);
  return `${mb(p.rssBytes).toFixed(1)} MB / ${Math.round(mb(p.memoryQuotaBytes))} MB (${percent}%, ${p.size ?? '?'})`;
}

/** `up 3m`, `crashed, restart in 20s`, `starting`, `stopping`. */
function state(p: ProcessInfo, now: number): string {
  if (p.state === 'up') return `up ${ago(p.startedAt, now).replace(' ago', '')}`;
  if (p.state === 'crashed' && p.nextRestartAt) {
    const seconds = Math.max(0, Math.round((Date.parse(p.nextRestartAt) - now) / 1000));
    return `crashed, restart in ${seconds}s`;
  }
  return p.state;
}
