import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { downloadBackup, megabytes } from './download-file.js';

export const registerBackupsDownload: Registrar = (program, context) => {
  program
    .command('backups:download')
    .description('download a backup\'s archive (admin)')
    .argument('<id>', 'the backup id (`dozen backups`)')
    .option('--to <file>', 'where to write it (default: dozen-backup-ID.tar.gz)')
    .action(async (id: string, options: { to?: string }) => {
      const file = options.to ?? `dozen-backup-${id}.tar.gz`;
      if (file === '') throw new DozenError('CLI_USAGE', 'Give a file with --to FILE.');
      const bytes = await downloadBackup(context.client(), id, file);
      print(`Downloaded backup ${id} to ${file} (${megabytes(bytes)}).`);
    });
};
