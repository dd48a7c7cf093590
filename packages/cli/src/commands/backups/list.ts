import type { Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';
import { megabytes } from './download-file.js';

export const registerBackupsList: Registrar = (program, context) => {
  program
    .command('backups')
    .description('list the backups in the data dir, newest first (admin)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const backups = await context.client().call('listBackups', {});
      if (options.json) return printJson(backups);
      if (backups.length === 0) return print('No backups yet. Make one with `dozen backups:create`.');
      print(table([['id', 'created', 'size', 'apps', 'kind'], ...backups.map((b) => [b.id, b.createdAt, megabytes(b.bytes), String(b.apps), `${b.scheduled ? 'scheduled' : 'manual'}${b.withCaches ? ', with caches' : ''}`])]));
    });
};
