import type { PlatformStatus } from '@dozen/contracts';
import type { Registrar } from '../command-kit.js';
import { print, printJson, table } from '../output.js';

export const registerStatus: Registrar = (program, context) => {
  program
    .command('status')
    .description('the platform: version, data dir schema, uptime, apps, disk use per area and per app (admin)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const status = await context.client().call('getStatus', {});
      if (options.json) return printJson(status);
      print(statusText(status));
    });
};

export function statusText(status: PlatformStatus): string {
  const disk = status.disk;
  const lines = [
    '=== Dozen',
    table([
      ['Version:', status.version],
      ['Data dir:', `${status.dataDir} (schema ${status.schema})`],
      ['Store:', status.store === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'SQLite'],
      ['Up since:', `${status.startedAt} (${duration(status.uptimeSeconds)})`],
      ['Apps:', String(status.apps)],
      ['Disk:', `${size(disk.total)} used, ${size(disk.freeBytes)} free of ${size(disk.sizeBytes)} (measured ${disk.measuredAt})`],
    ]),
    '',
    '=== Disk use per area',
    table(Object.entries(disk.areas).map(([area, bytes]) => [area, size(bytes)])),
  ];
  if (disk.apps.length > 0) {
    lines.push('', '=== Disk use per app', table([['APP', 'SLUGS', 'CACHE', 'LOGS', 'TOTAL'], ...disk.apps.map((a) => [a.app, size(a.slugs), size(a.cache), size(a.logs), size(a.total)])]));
  }
  lines.push('', '=== Backups', backupLine(status.backups));
  return lines.join('\n');
}

function backupLine(backups: PlatformStatus['backups']): string {
  const schedule = backups.schedule === 'off' ? 'no schedule (DOZEN_BACKUP_SCHEDULE=off)' : `${backups.schedule}, keep ${backups.keep}`;
  const last = backups.last === null ? 'none yet' : `${backups.last.id} at ${backups.last.at} (${backups.last.ok ? `ok, ${size(backups.last.bytes)}` : `failed: ${backups.last.error ?? 'unknown'}`})`;
  return table([
    ['Schedule:', schedule],
    ['Last:', last],
    ['Next:', backups.next ?? '-'],
  ]);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
