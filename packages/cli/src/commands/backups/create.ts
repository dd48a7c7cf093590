import type { Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { downloadBackup, megabytes } from './download-file.js';

export const KEY_NOTE = 'The archive holds no master key: a restore needs this platform\'s DOZEN_SECRET_KEY or its key file (<data dir>/secret-key). Keep them apart from the archive.';

export const registerBackupsCreate: Registrar = (program, context) => {
  program
    .command('backups:create')
    .description('write one archive of the whole platform into the data dir (admin): store, slugs of each app\'s rollback window, embedded add-ons\' data')
    .option('--to <file>', 'also download it to FILE')
    .option('--with-caches', 'include the build caches')
    .option('--json', 'print JSON')
    .action(async (options: { to?: string; withCaches?: boolean; json?: boolean }) => {
      const client = context.client();
      const backup = await client.call('createBackup', { body: { withCaches: options.withCaches ?? false } });
      if (options.to !== undefined) await downloadBackup(client, backup.id, options.to);
      if (options.json) return printJson(backup);
      print(`Backup ${backup.id}: ${backup.apps} apps, ${megabytes(backup.bytes)}${backup.withCaches ? ', with build caches' : ''}.`);
      if (options.to !== undefined) print(`Downloaded to ${options.to}.`);
      print(KEY_NOTE);
    });
};
