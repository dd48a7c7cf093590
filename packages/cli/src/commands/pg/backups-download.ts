import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { downloadBackup, megabytes } from '../backups/download-file.js';

export const registerPgBackupsDownload: Registrar = (program, context) => {
  appCommand(program, 'pg:backups:download', 'download a postgres add-on backup (pg_dump custom format, for pg_restore)')
    .argument('<backup>', 'the backup id (`dozen pg:backups`)')
    .option('--to <file>', 'where to write it (default: ID.dump)')
    .action(async (backup: string, options: AppOptions & { to?: string }) => {
      const app = requireAppName(options);
      const file = options.to ?? `${backup}.dump`;
      const bytes = await downloadBackup(context.client(), backup, file, app);
      print(`Downloaded ${backup} to ${file} (${megabytes(bytes)}).`);
    });
};
